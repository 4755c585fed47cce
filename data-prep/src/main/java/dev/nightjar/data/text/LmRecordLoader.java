package dev.nightjar.data.text;

import dev.nightjar.data.shard.ShardFormatException;
import dev.nightjar.data.shard.ShardRecordLoader;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads one language-model shard record ({@code <shard>#<record>}) as a minibatch on the
 * executor: inputs are the first seq-len tokens of each sequence, as ids {@code [n, 1, T]} or
 * one-hot {@code [n, vocab, T]}; labels are the next-token ids {@code [n, 1, T]}.
 */
public final class LmRecordLoader extends ShardRecordLoader {
    private static final long serialVersionUID = 1L;

    private final int vocabSize;
    private final boolean oneHot;

    /** @param threads ND4J threads for the executor JVM (0 = all cores) */
    public LmRecordLoader(int vocabSize, boolean oneHot, int threads) {
        super(TokenBatch.KIND, threads);
        this.vocabSize = vocabSize;
        this.oneHot = oneHot;
    }

    @Override
    protected DataSet decode(byte[] payload, String path) {
        return toDataSet(TokenBatch.decode(payload), path);
    }

    DataSet toDataSet(TokenBatch batch, String path) {
        int n = batch.n();
        int t = batch.length() - 1;
        int[] ids = batch.ids();
        float[] labels = new float[n * t];
        float[] features = new float[oneHot ? n * vocabSize * t : n * t];
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < t; s++) {
                int in = ids[b * (t + 1) + s];
                int next = ids[b * (t + 1) + s + 1];
                if (in < 0 || in >= vocabSize || next < 0 || next >= vocabSize) {
                    throw new ShardFormatException("record " + path + " has a token id outside [0, " + vocabSize + ")");
                }
                labels[b * t + s] = next;
                if (oneHot) {
                    features[(b * vocabSize + in) * t + s] = 1f;
                } else {
                    features[b * t + s] = in;
                }
            }
        }
        return new DataSet(Nd4j.create(features, new long[] {n, oneHot ? vocabSize : 1, t}, 'c'),
                Nd4j.create(labels, new long[] {n, 1, t}, 'c'));
    }
}
