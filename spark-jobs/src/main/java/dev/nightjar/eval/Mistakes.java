package dev.nightjar.eval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code limit} most confident misclassified images seen: bounded, so a partition sends at most
 * {@code limit} images to the driver, and mergeable in any order to the same result.
 */
public final class Mistakes implements Serializable {
    private static final long serialVersionUID = 1L;

    private int limit;
    private ArrayList<Mistake> kept = new ArrayList<>();

    public Mistakes(int limit) {
        this.limit = limit;
    }

    /**
     * Looks at one minibatch of images.
     *
     * @param record        the shard record it came from
     * @param features      [n, channels, height, width] in [0, 1]
     * @param labels        one-hot [n, classes]
     * @param probabilities [n, classes]
     */
    public void look(String record, INDArray features, INDArray labels, INDArray probabilities) {
        if (limit == 0 || features.rank() != 4) {
            return;
        }
        long[] s = features.shape();
        for (int i = 0; i < s[0]; i++) {
            int actual = labels.getRow(i).argMax().getInt(0);
            int predicted = probabilities.getRow(i).argMax().getInt(0);
            if (actual == predicted) {
                continue;
            }
            float confidence = probabilities.getFloat(i, predicted);
            if (kept.size() == limit && confidence < kept.get(kept.size() - 1).confidence()) {
                continue;
            }
            float[] px = features.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .dup('c').data().asFloat();
            byte[] bytes = new byte[px.length];
            for (int j = 0; j < px.length; j++) {
                bytes[j] = (byte) Math.round(Math.max(0f, Math.min(1f, px[j])) * 255);
            }
            add(new Mistake(record, i, actual, predicted, confidence, (int) s[1], (int) s[2], (int) s[3], bytes));
        }
    }

    void add(Mistake m) {
        kept.add(m);
        kept.sort(Mistake.MOST_CONFIDENT_FIRST);
        if (kept.size() > limit) {
            kept.remove(kept.size() - 1);
        }
    }

    public Mistakes merge(Mistakes o) {
        o.kept.forEach(this::add);
        return this;
    }

    /** Most confident first. */
    public List<Mistake> list() {
        return List.copyOf(kept);
    }
}
