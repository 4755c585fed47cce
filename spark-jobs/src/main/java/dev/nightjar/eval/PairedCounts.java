package dev.nightjar.eval;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Several classifiers on the same examples, counted: the examples, each model's correct ones and, against a
 * reference model, the examples only the reference gets right (McNemar's b) and only the model gets right (c).
 * Mergeable, and its size does not grow with the data.
 */
public final class PairedCounts implements Serializable {
    private static final long serialVersionUID = 1L;

    long examples;
    final long[] correct;
    final long[] onlyReference;
    final long[] onlyThis;

    public PairedCounts(int models) {
        correct = new long[models];
        onlyReference = new long[models];
        onlyThis = new long[models];
    }

    /**
     * Counts one example.
     *
     * @param right     per model, whether it got the example right
     * @param reference the reference model's index, or -1
     */
    public void add(boolean[] right, int reference) {
        examples++;
        for (int m = 0; m < right.length; m++) {
            if (right[m]) {
                correct[m]++;
            }
            if (reference >= 0) {
                if (right[reference] && !right[m]) {
                    onlyReference[m]++;
                } else if (right[m] && !right[reference]) {
                    onlyThis[m]++;
                }
            }
        }
    }

    public PairedCounts merge(PairedCounts o) {
        examples += o.examples;
        for (int m = 0; m < correct.length; m++) {
            correct[m] += o.correct[m];
            onlyReference[m] += o.onlyReference[m];
            onlyThis[m] += o.onlyThis[m];
        }
        return this;
    }

    public long examples() {
        return examples;
    }

    public long correct(int model) {
        return correct[model];
    }

    public long onlyReference(int model) {
        return onlyReference[model];
    }

    public long onlyThis(int model) {
        return onlyThis[model];
    }

    @Override
    public String toString() {
        return "PairedCounts{examples=" + examples + ", correct=" + Arrays.toString(correct) + ", onlyReference="
                + Arrays.toString(onlyReference) + ", onlyThis=" + Arrays.toString(onlyThis) + "}";
    }

    /** Merges two partitions' counts. */
    public static final class Merge implements org.apache.spark.api.java.function.Function2<PairedCounts, PairedCounts, PairedCounts> {
        private static final long serialVersionUID = 1L;

        @Override
        public PairedCounts call(PairedCounts a, PairedCounts b) {
            return a.merge(b);
        }
    }
}
