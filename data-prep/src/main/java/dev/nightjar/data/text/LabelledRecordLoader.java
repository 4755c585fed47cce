package dev.nightjar.data.text;

import dev.nightjar.data.shard.ShardFormatException;
import dev.nightjar.data.shard.ShardRecordLoader;
import dev.nightjar.text.ClassifierInput;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads one classification shard record as a minibatch on the executor: token ids
 * {@code [n, 1, T]} right-padded to the longest document with a feature mask {@code [n, T]},
 * and one-hot labels {@code [n, classes]}.
 */
public final class LabelledRecordLoader extends ShardRecordLoader {
    private static final long serialVersionUID = 1L;

    private final int vocabSize;
    private final int numClasses;

    /** @param threads ND4J threads for the executor JVM (0 = all cores) */
    public LabelledRecordLoader(int vocabSize, int numClasses, int threads) {
        super(LabelledBatch.KIND, threads);
        this.vocabSize = vocabSize;
        this.numClasses = numClasses;
    }

    @Override
    protected DataSet decode(byte[] payload, String path) {
        LabelledBatch batch = LabelledBatch.decode(payload);
        int n = batch.labels().length;
        float[] y = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            int label = batch.labels()[i];
            if (label < 0 || label >= numClasses) {
                throw new ShardFormatException("record " + path + " has label " + label + " outside [0, " + numClasses + ")");
            }
            for (int id : batch.docs().get(i)) {
                if (id < 0 || id >= vocabSize) {
                    throw new ShardFormatException("record " + path + " has a token id outside [0, " + vocabSize + ")");
                }
            }
            y[i * numClasses + label] = 1f;
        }
        INDArray[] x = ClassifierInput.features(batch.docs());
        return new DataSet(x[0], Nd4j.create(y, new long[] {n, numClasses}, 'c'), x[1], null);
    }
}
