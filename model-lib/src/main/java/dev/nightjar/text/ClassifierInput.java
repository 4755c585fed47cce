package dev.nightjar.text;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a text classifier reads a document, the same in preparation, training and scoring: the
 * cleaned text as token ids after an end marker (the language model saw documents start that
 * way), at most {@code maxLen} ids; a minibatch is right-padded to its longest document, with a mask.
 * Scoring may read a longer document in parts, each read the same way, or whole ({@link LongDocuments}).
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

    /**
     * How scoring reads a document longer than the model's {@code maxLen}. Each reads at most
     * {@code maxWindows × (maxLen − 1)} tokens of it; a document's probabilities are the mean over its parts.
     */
    public enum LongDocuments {
        /** Consecutive windows of {@code maxLen − 1} tokens. */
        WINDOWS,
        /** Each sentence a part (a sentence longer than a window: its windows), as a sentence model was trained. */
        SENTENCES,
        /** One part of every token read: for networks that pool over time (max or mean), whatever the length. */
        WHOLE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static List<String> ids() {
            return Arrays.stream(values()).map(LongDocuments::id).toList();
        }

        public static LongDocuments of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /** The parts a document is read as, in document order; {@link Windows#truncated()} when tokens were left unread. */
    public static Windows read(String cleaned, Tokenizer tokenizer, int maxLen, int maxWindows, LongDocuments mode) {
        return switch (mode) {
            case WINDOWS -> windows(cleaned, tokenizer, maxLen, maxWindows);
            case WHOLE -> windows(cleaned, tokenizer, (int) Math.min(Integer.MAX_VALUE, (long) (maxLen - 1) * maxWindows + 1), 1);
            case SENTENCES -> sentences(cleaned, tokenizer, maxLen, maxWindows);
        };
    }

    /** Each sentence as its windows, until {@code maxWindows × (maxLen − 1)} tokens are read. */
    private static Windows sentences(String cleaned, Tokenizer tokenizer, int maxLen, int maxWindows) {
        long budget = (long) (maxLen - 1) * maxWindows;
        List<int[]> parts = new ArrayList<>();
        boolean truncated = false;
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(cleaned);
        int start = it.first();
        sentences:
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            Windows w = windows(cleaned.substring(start, end), tokenizer, maxLen, maxWindows);
            for (int[] ids : w.windows()) {
                int tokens = ids.length - 1;
                if (tokens > 0 && budget == 0) {
                    truncated = true;
                    break sentences;
                }
                int take = (int) Math.min(tokens, budget);
                if (take > 0) {
                    parts.add(take == tokens ? ids : Arrays.copyOf(ids, take + 1));
                    budget -= take;
                }
                truncated |= take < tokens;
            }
            truncated |= w.truncated();
        }
        if (parts.isEmpty()) {
            parts.add(new int[] {Tokenizer.EOS});
        }
        return new Windows(parts, truncated);
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
