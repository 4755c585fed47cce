package dev.nightjar.text;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a text classifier reads a document, the same in preparation, training and scoring: the
 * cleaned text as token ids after an end marker (the language model saw documents start that
 * way), at most {@code maxLen} ids; a minibatch is right-padded to its longest document, with a mask.
 * Scoring may read a longer document as consecutive windows, each read the same way.
 */
public final class ClassifierInput {
    private ClassifierInput() {
    }

    /** @param truncated whether the document had more tokens than were kept */
    public record Encoded(int[] ids, boolean truncated) {
    }

    /**
     * @param windows   the id sequences read, in document order: each the end marker and up to maxLen − 1 tokens
     * @param truncated whether the document had more tokens than the windows hold
     */
    public record Windows(List<int[]> windows, boolean truncated) {
    }

    /** Ids of cleaned text: the end marker, then the first {@code maxLen - 1} tokens. */
    public static Encoded encode(CharSequence cleaned, Tokenizer tokenizer, int maxLen) {
        Windows w = windows(cleaned, tokenizer, maxLen, 1);
        return new Encoded(w.windows().get(0), w.truncated());
    }

    /**
     * Cleaned text as up to {@code maxWindows} consecutive windows of {@code maxLen - 1} tokens, each
     * after the end marker; the last may be shorter. A text without tokens is one window of the marker.
     */
    public static Windows windows(CharSequence cleaned, Tokenizer tokenizer, int maxLen, int maxWindows) {
        int per = maxLen - 1;
        long cap = (long) per * maxWindows;
        int[][] buf = {new int[(int) Math.min(cap, 1024)]};
        int[] n = {0};
        boolean[] more = {false};
        tokenizer.encode(cleaned, id -> {
            if (n[0] == cap) {
                more[0] = true;
                return;
            }
            if (n[0] == buf[0].length) {
                buf[0] = Arrays.copyOf(buf[0], (int) Math.min(cap, 2L * n[0]));
            }
            buf[0][n[0]++] = id;
        });
        List<int[]> windows = new ArrayList<>();
        for (int start = 0; start < n[0] || windows.isEmpty(); start += per) {
            int len = Math.min(per, n[0] - start);
            int[] ids = new int[len + 1];
            ids[0] = Tokenizer.EOS;
            System.arraycopy(buf[0], start, ids, 1, len);
            windows.add(ids);
        }
        return new Windows(windows, more[0]);
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
