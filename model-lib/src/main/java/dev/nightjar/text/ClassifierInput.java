package dev.nightjar.text;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * How a text classifier reads a document, the same in preparation, training and scoring: the
 * cleaned text as token ids after an end marker (the language model saw documents start that
 * way), at most {@code maxLen} ids; a minibatch is right-padded to its longest document, with a mask.
 */
public final class ClassifierInput {
    private ClassifierInput() {
    }

    /** @param truncated whether the document had more tokens than were kept */
    public record Encoded(int[] ids, boolean truncated) {
    }

    /** Ids of cleaned text: the end marker, then the first {@code maxLen - 1} tokens. */
    public static Encoded encode(CharSequence cleaned, Tokenizer tokenizer, int maxLen) {
        int[] ids = new int[maxLen];
        int[] n = {1};
        boolean[] more = {false};
        ids[0] = Tokenizer.EOS;
        tokenizer.encode(cleaned, id -> {
            if (n[0] < maxLen) {
                ids[n[0]++] = id;
            } else {
                more[0] = true;
            }
        });
        return new Encoded(java.util.Arrays.copyOf(ids, n[0]), more[0]);
    }

    /** {features [n, 1, T] ids, mask [n, T]} with T the longest document; padding is id 0 with mask 0. */
    public static INDArray[] features(List<int[]> docs) {
        int n = docs.size();
        int t = docs.stream().mapToInt(d -> d.length).max().orElse(1);
        float[] x = new float[n * t];
        float[] m = new float[n * t];
        for (int b = 0; b < n; b++) {
            int[] d = docs.get(b);
            for (int s = 0; s < d.length; s++) {
                x[b * t + s] = d[s];
                m[b * t + s] = 1f;
            }
        }
        return new INDArray[] {Nd4j.create(x, new long[] {n, 1, t}, 'c'), Nd4j.create(m, new long[] {n, t}, 'c')};
    }
}
