package dev.nightjar.data.image;

import dev.nightjar.data.Splits;
import dev.nightjar.data.shard.ShardFormatException;
import dev.nightjar.data.shard.ShardRecordLoader;
import dev.nightjar.model.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Loads one shard record ({@code <shard>#<record>}) as a minibatch on the executor: bytes to
 * floats in [0, 1], labels one-hot, augmentation seeded by (seed, epoch, record) so a rerun sees
 * the same images ({@link #augmentationSeed}).
 */
public final class ImageRecordLoader extends ShardRecordLoader {
    private static final long serialVersionUID = 1L;

    private final int numClasses;
    private final Augmentation augmentation;
    private final long seed;
    private final int epoch;

    /**
     * @param threads ND4J threads for the executor JVM (0 = all cores)
     */
    public ImageRecordLoader(int numClasses, Augmentation augmentation, long seed, int epoch, int threads) {
        super(ImageBatch.KIND, threads);
        this.numClasses = numClasses;
        this.augmentation = augmentation;
        this.seed = seed;
        this.epoch = epoch;
    }

    @Override
    protected DataSet decode(byte[] payload, String path) throws IOException {
        return toDataSet(ImageBatch.decode(payload), path);
    }

    /**
     * The augmentation seed of one record in one epoch: a hash of (seed, epoch, record). A record is trained
     * once per epoch, by one worker, so this fixes what every worker sees in every averaging round, and a
     * retried task or a run with another worker count draws the same transforms for the same record.
     */
    public static long augmentationSeed(long seed, int epoch, String path) {
        return Splits.hash(seed, (epoch + "/" + path).getBytes(StandardCharsets.UTF_8));
    }

    DataSet toDataSet(ImageBatch batch, String path) {
        ImageShape s = batch.shape();
        int n = batch.size();
        int px = s.pixels();
        float[] features = new float[n * px];
        byte[] pixels = batch.pixels();
        for (int i = 0; i < features.length; i++) {
            features[i] = (pixels[i] & 0xff) / 255f;
        }
        if (augmentation.enabled()) {
            Random rnd = new Random(augmentationSeed(seed, epoch, path));
            float[] scratch = new float[px];
            for (int i = 0; i < n; i++) {
                augmentation.apply(features, i * px, s.channels(), s.height(), s.width(), rnd, scratch);
            }
        }
        float[] labels = new float[n * numClasses];
        short[] l = batch.labels();
        for (int i = 0; i < n; i++) {
            if (l[i] < 0 || l[i] >= numClasses) {
                throw new ShardFormatException("record " + path + " has label " + l[i] + " outside [0, " + numClasses + ")");
            }
            labels[i * numClasses + l[i]] = 1f;
        }
        INDArray f = Nd4j.create(features, new long[] {n, s.channels(), s.height(), s.width()}, 'c');
        INDArray y = Nd4j.create(labels, new long[] {n, numClasses}, 'c');
        return new DataSet(f, y);
    }
}
