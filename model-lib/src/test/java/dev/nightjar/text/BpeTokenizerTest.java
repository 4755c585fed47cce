package dev.nightjar.text;

import dev.nightjar.UserException;
import dev.nightjar.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BpeTokenizerTest {

    /** Sennrich et al.'s example corpus: pieces and their counts. */
    private static final Map<String, Long> CLASSIC = Map.of("low", 5L, "lower", 2L, "newest", 6L, "widest", 3L);

    /**
     * Worked by hand. Ties go to the older left symbol (bytes in byte order: d < e < i < l < n < o < s < w, then merge
     * results in the order made), then the older right symbol.
     * <pre>
     *  pair counts at the start: es 6+3=9, st 9, we 2+6=8, lo 5+2=7, ow 7, ne 6, ew 6, wi 3, id 3, de 3, er 2
     *  1. e s    (9; ties with s t: e is older)  newest = n e w es t, widest = w i d es t; st, de, we(newest) gone
     *  2. es t   (9)                            n e w est, w i d est
     *  3. l o    (7; ties with o w: l is older)  lo w, lo w e r
     *  4. lo w   (7)                            low, low e r
     *  5. e w    (6; ties with n e and w est: e is the oldest left)  n ew est
     *  6. n ew   (6; ties with ew est: n is older than ew)          new est
     *  7. new est (6)                           newest
     *  8. d est  (3; ties with w i and i d: d is the oldest left)    w i dest
     *  9. i dest (3; ties with w i)              w idest
     * 10. w idest (3)                           widest
     * 11. e r    (2; ties with low e: e is older)  low er
     * 12. low er (2)                            lower; no pair is left
     * </pre>
     */
    private static final List<String> CLASSIC_MERGES = List.of("e s", "es t", "l o", "lo w", "e w", "n ew", "new est", "d est",
            "i dest", "w idest", "e r", "low er");

    @Test
    void learnsTheHandWorkedMergesOfTheClassicCorpus() {
        assertEquals(CLASSIC_MERGES, BpeTrainer.train(CLASSIC, 10_000, 1));
        assertEquals(CLASSIC_MERGES.subList(0, 10), BpeTrainer.train(CLASSIC, 10_000, 3), "er and lower are seen only twice");
        assertEquals(CLASSIC_MERGES.subList(0, 4), BpeTrainer.train(CLASSIC, 4 + 256 + 4, 1), "the vocabulary is full after 4 merges");

        Tokenizer t = Tokenizer.trainBpe(CLASSIC, 10_000, 1);
        assertEquals(4 + 256 + 12, t.size());
        assertEquals(List.of("es", "est", "lo", "low", "ew", "new", "newest", "dest", "idest", "widest", "er", "lower"),
                t.vocab().subList(260, 272));
        // by rank: e s, es t, l o, lo w; no merge joins low and est
        assertEquals(List.of("low", "est"), tokens(t, "lowest"));
        assertEquals(List.of("newest"), tokens(t, "newest"));
        assertEquals(List.of("w", "i", "d", "e"), tokens(t, "wide"), "d e was never merged (d est was)");
        assertEquals("lowest", t.decode(t.encode("lowest")));
    }

    @Test
    void incrementalPairCountsLearnWhatRecountingEveryStepLearns() {
        Random random = new Random(7);
        String[] syllables = {"a", "an", "b", "ba", "na", "n", " ", "ab", "é", "😀", "aa"};
        Map<String, Long> pieces = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = random.nextInt(8); k >= 0; k--) {
                s.append(syllables[random.nextInt(syllables.length)]);
            }
            pieces.merge(s.toString(), 1L + random.nextInt(20), Long::sum);
        }
        List<String> fast = BpeTrainer.train(pieces, 4 + 256 + 200, 2);
        assertTrue(fast.size() > 50, "enough merges to test: " + fast.size());
        assertEquals(naiveMerges(pieces, 256 + 200, 2), fast);
    }

    @Test
    void encodeThenDecodeGivesBackAnyUnicodeText() {
        Tokenizer t = Tokenizer.trainBpe(pieces("The quick brown fox jumps over the lazy dog. Ça coûte 3,50 € — 東京は晴れ 😀😀 "
                + "naïve café, it's 42!"), 400, 1);
        Random random = new Random(42);
        int[][] ranges = {{0x20, 0x7E}, {0xA0, 0xFF}, {0x300, 0x36F}, {0x4E00, 0x9FFF}, {0x1F600, 0x1F64F}, {0x10000, 0x10FFFF},
                {0x0, 0x1F}, {0x2000, 0x206F}, {0xE000, 0xFFFF}};
        assertEquals(0, t.encode("").length);
        assertEquals("", t.decode());
        for (int n = 0; n < 300; n++) {
            StringBuilder s = new StringBuilder();
            int len = random.nextInt(n < 250 ? 40 : 400); // some pieces longer than 64 bytes take the heap path
            for (int i = 0; i < len; i++) {
                int[] r = ranges[random.nextInt(ranges.length)];
                int cp = r[0] + random.nextInt(r[1] - r[0] + 1);
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = 'x'; // a lone surrogate is not text: it has no UTF-8
                }
                s.appendCodePoint(random.nextInt(8) == 0 ? ' ' : cp);
            }
            String text = s.toString();
            int[] ids = t.encode(text);
            for (int id : ids) {
                assertTrue(id >= 4 && id < t.size(), "no reserved or unknown id: " + id);
            }
            assertEquals(text, t.decode(ids));
            int chars = 0;
            int[] perId = t.charsPerId();
            for (int id : ids) {
                chars += perId[id];
            }
            assertEquals(text.codePointCount(0, text.length()), chars, "the ids' characters add up to the text's code points");
        }
    }

    @Test
    void longPiecesMergeTheSameWithTheHeapAsWithRepeatedScans() {
        Tokenizer t = Tokenizer.trainBpe(pieces("banana bandana abba cabana ananas baobab aaaa aaaaaa " .repeat(3)), 330, 1);
        assertTrue(t.merges().contains("a a"), "a pair of one symbol twice, whose occurrences overlap in 'aaa'");
        BytePairEncoding bpe = new BytePairEncoding(t.merges());
        Random random = new Random(3);
        for (int n = 0; n < 500; n++) {
            byte[] b = new byte[random.nextInt(150)];
            for (int i = 0; i < b.length; i++) {
                b[i] = "abnocd\u00e9".getBytes(StandardCharsets.UTF_8)[random.nextInt(8)];
            }
            assertArrayEquals(bpe.mergeByScans(b), bpe.mergeWithHeap(b));
        }
    }

    @Test
    void aCharacterCutShortReadsAsReplacementUntilItsBytesAreComplete() {
        Tokenizer bytesOnly = Tokenizer.trainBpe(Map.of(), 260, 1);
        int[] ids = bytesOnly.encode("a€");
        assertEquals(4, ids.length, "a, then the three bytes of €");
        assertEquals("a\uFFFD", bytesOnly.decode(ids[0], ids[1], ids[2]));
        assertEquals("a€", bytesOnly.decode(ids));
        assertEquals("a\nb", bytesOnly.decode(Tokenizer.BOS, ids[0], Tokenizer.EOS, Tokenizer.PAD, 4 + 'b'));
    }

    @Test
    void piecesAreGpt2sAndJoinToTheText() {
        List<String> pieces = new ArrayList<>();
        String text = "Hello world's 42 times!!  ok\nnaïve 東京";
        Segmenter.BPE.segment(text, pieces::add);
        assertEquals(List.of("Hello", " world", "'s", " 42", " times", "!!", " ", " ok", "\n", "naïve", " 東京"), pieces);
        assertEquals(text, Segmenter.BPE.join(pieces));
    }

    @Test
    void savesAndLoadsAsTokenizerJsonAndComparesByMerges(@TempDir Path dir) throws Exception {
        Tokenizer t = Tokenizer.trainBpe(CLASSIC, 10_000, 1);
        t.save(dir);
        String json = Files.readString(dir.resolve(Tokenizer.FILE));
        assertTrue(json.contains("\"type\" : \"bpe\"") && json.contains("\"merges\" : [ \"e s\", \"es t\""), json);
        Tokenizer back = Tokenizer.load(dir);
        assertEquals(t, back);
        assertEquals(t.hashCode(), back.hashCode());
        assertArrayEquals(t.encode("lowest newer"), back.encode("lowest newer"));
        assertNotEquals(t, Tokenizer.trainBpe(CLASSIC, 10_000, 3), "fewer merges: another tokenizer");
        assertFalse(Json.write(new Tokenizer("char", Tokenizer.SPECIALS)).contains("merges"), "char and word tokenizers have none");

        // the vocabulary must be the one the merges make
        String tampered = json.replace("\"lower\"", "\"LOWER\"");
        Files.writeString(dir.resolve(Tokenizer.FILE), tampered);
        assertTrue(assertThrows(UserException.class, () -> Tokenizer.load(dir)).getMessage().contains("cannot read"));
        assertThrows(UserException.class, () -> new Tokenizer("bpe", t.vocab(), List.of("e s", "q z")));
        assertThrows(UserException.class, () -> new Tokenizer("bpe", t.vocab(), null));
        assertThrows(UserException.class, () -> new Tokenizer("char", Tokenizer.SPECIALS, List.of()));

        // Spark ships the tokenizer in closures: Java serialization
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(t);
        }
        Tokenizer shipped = (Tokenizer) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertEquals(t, shipped);
        assertArrayEquals(t.encode("widest lowest"), shipped.encode("widest lowest"));
    }

    private static List<String> tokens(Tokenizer t, String text) {
        List<String> out = new ArrayList<>();
        for (int id : t.encode(text)) {
            out.add(t.token(id));
        }
        return out;
    }

    static Map<String, Long> pieces(String text) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Segmenter.BPE.segment(text, p -> counts.merge(p, 1L, Long::sum));
        return counts;
    }

    /** The textbook trainer: recount every pair over every piece before each merge. */
    private static List<String> naiveMerges(Map<String, Long> pieces, int symbols, long minCount) {
        List<String> names = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            names.add(BytePairEncoding.symbol(b));
        }
        List<List<Integer>> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        pieces.forEach((p, c) -> {
            List<Integer> w = new ArrayList<>();
            for (byte x : p.getBytes(StandardCharsets.UTF_8)) {
                w.add(x & 0xFF);
            }
            words.add(w);
            counts.add(c);
        });
        List<String> merges = new ArrayList<>();
        while (names.size() < symbols) {
            Map<List<Integer>, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                for (int i = 0; i + 1 < words.get(w).size(); i++) {
                    pairs.merge(List.of(words.get(w).get(i), words.get(w).get(i + 1)), counts.get(w), Long::sum);
                }
            }
            List<Integer> best = null;
            for (Map.Entry<List<Integer>, Long> e : pairs.entrySet()) {
                if (best == null || e.getValue() > pairs.get(best) || e.getValue().equals(pairs.get(best))
                        && (e.getKey().get(0) < best.get(0) || e.getKey().get(0).equals(best.get(0)) && e.getKey().get(1) < best.get(1))) {
                    best = e.getKey();
                }
            }
            if (best == null || pairs.get(best) < minCount) {
                break;
            }
            String joined = names.get(best.get(0)) + names.get(best.get(1));
            int c = names.indexOf(joined);
            if (c < 0) {
                c = names.size();
                names.add(joined);
            }
            String merge = names.get(best.get(0)) + " " + names.get(best.get(1));
            if (!merges.contains(merge)) {
                merges.add(merge);
            }
            for (List<Integer> w : words) {
                for (int i = 0; i + 1 < w.size(); i++) {
                    if (w.get(i).equals(best.get(0)) && w.get(i + 1).equals(best.get(1))) {
                        w.set(i, c);
                        w.remove(i + 1);
                    }
                }
            }
        }
        return merges;
    }
}
