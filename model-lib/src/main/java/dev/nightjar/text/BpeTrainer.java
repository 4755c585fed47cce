package dev.nightjar.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Learns byte-level BPE merges from a table of pieces and their counts ({@link Segmenter#BPE} pieces of
 * the train split), as the well-known trainers do (Sennrich et al. 2016; GPT-2; Hugging Face
 * tokenizers): every piece starts as its UTF-8 bytes; the most frequent adjacent pair of symbols, counted
 * over all pieces with their counts, becomes a new symbol wherever it occurs (left to right, never
 * overlapping); repeat. Pair counts are kept up to date incrementally: a merge touches only the pieces
 * that hold its pair.
 *
 * <p>Ties go to the pair whose left symbol is older (bytes first, in byte order, then merge results in the
 * order they were made), then whose right symbol is older: the same table always gives the same merges.
 * A merge needs its pair counted at least {@code minCount} times. A pair whose result would be named as a
 * reserved token ({@code <pad>}, ...) is never merged (GPT-2's pieces never hold one: {@code <} and
 * letters fall in different pieces). A merge is listed once: should its pair form again (next to a token that
 * another pair also makes), the pieces merge it, and encoding does so at the merge's first rank.
 */
public final class BpeTrainer {
    private final List<String> names = new ArrayList<>();  // by symbol: byte-level token name
    private final Map<String, Integer> symbolOf = new HashMap<>();
    private int[][] words;
    private int[] lengths;
    private long[] counts;
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, IntList> where = new HashMap<>();
    private final PriorityQueue<long[]> heap = new PriorityQueue<>(BpeTrainer::compare);
    private final java.util.Set<Long> merged = new java.util.HashSet<>();

    private BpeTrainer() {
        for (int b = 0; b < 256; b++) {
            names.add(BytePairEncoding.symbol(b));
            symbolOf.put(BytePairEncoding.symbol(b), b);
        }
    }

    /**
     * The merges, in order, that bring the vocabulary (the 4 reserved ids and 256 bytes included) up to
     * {@code vocabSize}, or fewer when no pair is left that is counted {@code minCount} times.
     *
     * @param pieces   pieces of text and how often each occurs
     * @param minCount the least count of a pair that is merged (at least 1)
     * @return merges as {@code "left right"} in byte symbols ({@link BytePairEncoding})
     */
    public static List<String> train(Map<String, Long> pieces, int vocabSize, long minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be at least 1, got " + minCount);
        }
        BpeTrainer t = new BpeTrainer();
        t.start(pieces);
        return t.run(vocabSize - BytePairEncoding.OFFSET, minCount);
    }

    private void start(Map<String, Long> pieces) {
        // pieces in a fixed order, so the work (not only the result) is the same on every run
        String[] keys = pieces.keySet().toArray(new String[0]);
        Arrays.sort(keys);
        words = new int[keys.length][];
        lengths = new int[keys.length];
        counts = new long[keys.length];
        for (int w = 0; w < keys.length; w++) {
            byte[] b = keys[w].getBytes(StandardCharsets.UTF_8);
            int[] s = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                s[i] = b[i] & 0xFF;
            }
            words[w] = s;
            lengths[w] = s.length;
            counts[w] = pieces.get(keys[w]);
            for (int i = 0; i + 1 < s.length; i++) {
                long p = BytePairEncoding.pair(s[i], s[i + 1]);
                pairCounts.merge(p, counts[w], Long::sum);
                where.computeIfAbsent(p, k -> new IntList()).addOnce(w);
            }
        }
        pairCounts.forEach((p, c) -> heap.add(new long[] {c, p}));
    }

    private List<String> run(int symbolsWanted, long minCount) {
        List<String> merges = new ArrayList<>();
        Map<Long, Long> delta = new HashMap<>();
        while (names.size() < symbolsWanted && !heap.isEmpty()) {
            long[] top = heap.poll();
            long p = top[1];
            Long current = pairCounts.get(p);
            if (current == null || current != top[0]) {
                continue; // stale: the count changed since this entry was queued
            }
            if (current < minCount) {
                break;
            }
            int a = (int) (p >>> 32);
            int b = (int) p;
            String joined = names.get(a) + names.get(b);
            if (Tokenizer.SPECIALS.contains(joined)) {
                pairCounts.remove(p);
                continue;
            }
            Integer c = symbolOf.get(joined);
            if (c == null) {
                c = names.size();
                names.add(joined);
                symbolOf.put(joined, c);
            }
            if (merged.add(p)) {
                merges.add(names.get(a) + " " + names.get(b));
            } // else the pair formed again next to a token that a second merge made anew: the first merge covers it
            apply(a, b, c, delta);
        }
        return merges;
    }

    /** Merges (a, b) into c in every piece that holds the pair, and updates the pair counts by what changed. */
    private void apply(int a, int b, int c, Map<Long, Long> delta) {
        delta.clear();
        IntList holders = where.remove(BytePairEncoding.pair(a, b));
        pairCounts.remove(BytePairEncoding.pair(a, b));
        for (int k = 0; k < holders.size; k++) {
            int w = holders.values[k];
            int[] s = words[w];
            int n = lengths[w];
            long count = counts[w];
            int out = 0;
            for (int i = 0; i < n; ) {
                if (i + 1 < n && s[i] == a && s[i + 1] == b) {
                    if (out > 0) {
                        change(delta, s[out - 1], a, -count);
                        change(delta, s[out - 1], c, count);
                        where.computeIfAbsent(BytePairEncoding.pair(s[out - 1], c), x -> new IntList()).addOnce(w);
                    }
                    if (i + 2 < n) {
                        change(delta, b, s[i + 2], -count);
                        change(delta, c, s[i + 2], count);
                        where.computeIfAbsent(BytePairEncoding.pair(c, s[i + 2]), x -> new IntList()).addOnce(w);
                    }
                    s[out++] = c;
                    i += 2;
                } else {
                    s[out++] = s[i++];
                }
            }
            lengths[w] = out;
        }
        long merged = BytePairEncoding.pair(a, b);
        for (Map.Entry<Long, Long> e : delta.entrySet()) {
            long p = e.getKey();
            if (e.getValue() == 0 || p == merged) {
                continue;
            }
            long now = pairCounts.getOrDefault(p, 0L) + e.getValue();
            if (now > 0) {
                pairCounts.put(p, now);
                heap.add(new long[] {now, p});
            } else {
                pairCounts.remove(p);
                where.remove(p);
            }
        }
    }

    private static void change(Map<Long, Long> delta, int left, int right, long by) {
        delta.merge(BytePairEncoding.pair(left, right), by, Long::sum);
    }

    /** Highest count first; ties by the older left symbol, then the older right symbol. */
    private static int compare(long[] x, long[] y) {
        if (x[0] != y[0]) {
            return Long.compare(y[0], x[0]);
        }
        int c = Integer.compare((int) (x[1] >>> 32), (int) (y[1] >>> 32));
        return c != 0 ? c : Integer.compare((int) x[1], (int) y[1]);
    }

    /** A growable list of piece indices; adding the last one again does nothing. */
    private static final class IntList {
        int[] values = new int[4];
        int size;

        void addOnce(int v) {
            if (size > 0 && values[size - 1] == v) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }
}
