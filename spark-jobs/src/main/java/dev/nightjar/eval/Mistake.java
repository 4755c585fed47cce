package dev.nightjar.eval;

import java.io.Serializable;
import java.util.Comparator;

/**
 * One misclassified image for the evaluation report: where it is, its true and predicted class, the
 * probability the model gave the wrong class, and its pixels (CHW bytes). A plain class, not a record:
 * it travels back from executors in Spark's Kryo, which cannot rebuild records.
 */
public final class Mistake implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Most confident first; then by record and position, so a merge in any order keeps the same ones. */
    public static final Comparator<Mistake> MOST_CONFIDENT_FIRST = Comparator.comparingDouble((Mistake m) -> -m.confidence)
            .thenComparing(m -> m.record).thenComparingInt(m -> m.index);

    private String record;
    private int index;
    private int actual;
    private int predicted;
    private float confidence;
    private int channels;
    private int height;
    private int width;
    private byte[] pixels;

    /**
     * @param record     the shard record ({@code shard#record})
     * @param index      the example's position in the record
     * @param confidence the probability of the predicted class
     */
    public Mistake(String record, int index, int actual, int predicted, float confidence, int channels, int height, int width, byte[] pixels) {
        this.record = record;
        this.index = index;
        this.actual = actual;
        this.predicted = predicted;
        this.confidence = confidence;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
    }

    public String record() {
        return record;
    }

    public int index() {
        return index;
    }

    public int actual() {
        return actual;
    }

    public int predicted() {
        return predicted;
    }

    public float confidence() {
        return confidence;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** CHW floats in [0, 1]. */
    public float[] pixels() {
        float[] f = new float[pixels.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (pixels[i] & 0xff) / 255f;
        }
        return f;
    }
}
