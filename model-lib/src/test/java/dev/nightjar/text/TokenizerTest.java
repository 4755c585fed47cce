package dev.nightjar.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerTest {

    private static final Tokenizer CHARS = Tokenizer.fromCounts(Segmenter.CHAR,
            Map.of("a", 10L, "b", 7L, " ", 7L, "c", 1L, "é", 3L), 2, 100);

    @Test
    void charVocabularyIsOrderedByCountThenTokenAndHonoursMinCount() {
        // specials, then a(10), then ' ' and b tie at 7 (ordered by token), then é(3); c is below min-count
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "a", " ", "b", "é"), CHARS.vocab());
    }

    @Test
    void fixedStringEncodesToFixedIds() {
        // c is below min-count and à was never seen: both unknown
        assertArrayEquals(new int[] {4, 6, 5, 7, 1, 1}, CHARS.encode("ab écà"));
    }

    @Test
    void charRoundTripKeepsKnownTextAndMarksUnknown() {
        assertEquals("ab éa", CHARS.decode(CHARS.encode("ab éa")));
        assertEquals("a\uFFFDb", CHARS.decode(CHARS.encode("azb")));
        assertEquals("a\nb", CHARS.decode(Tokenizer.BOS, 4, Tokenizer.EOS, 6, Tokenizer.PAD));
    }

    @Test
    void wordTokenizerSplitsOnUnicodeWordBoundariesAndLowercases() {
        Tokenizer words = Tokenizer.fromCounts(Segmenter.WORD, Map.of("the", 5L, "film", 3L, ",", 3L, "was", 2L, "good", 2L, "!", 2L), 1, 4);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "the", ",", "film", "!"), words.vocab());
        int[] ids = words.encode("The film, Was   GOOD!");
        assertArrayEquals(new int[] {4, 6, 5, 1, 1, 7}, ids);
        assertEquals("the film , <unk> <unk> !", words.decode(ids));
        List<String> seen = new java.util.ArrayList<>();
        Segmenter.WORD.segment("Ça coûte 3,50 € — n'est-ce pas?", seen::add);
        assertEquals(List.of("ça", "coûte", "3,50", "€", "—", "n'est-ce", "pas", "?"), seen);
        seen.clear();
        Segmenter.WORD.segment("It's a film that doesn't feel like one; we'll see, can’t we? ' s 'd", seen::add);
        assertEquals(List.of("it", "'s", "a", "film", "that", "does", "n't", "feel", "like", "one", ";", "we", "'ll", "see", ",",
                "ca", "n't", "we", "?", "'", "s", "'d"), seen, "English clitics split as GloVe's corpus was");
    }

    @Test
    void saveThenLoadIsEqualAndEncodesTheSame(@TempDir Path dir) {
        CHARS.save(dir);
        Tokenizer back = Tokenizer.load(dir);
        assertEquals(CHARS, back);
        assertArrayEquals(CHARS.encode("cab bad"), back.encode("cab bad"));
        assertTrue(Tokenizer.load(dir.resolve(Tokenizer.FILE)).equals(CHARS), "a file path works too");
    }

    @Test
    void extendingKeepsEveryIdAndAppendsOnlyWhatIsNew() {
        Tokenizer base = Tokenizer.fromCounts(Segmenter.WORD, Map.of("good", 3L, "bad", 2L), 1, 100);
        Tokenizer more = Tokenizer.fromCounts(Segmenter.WORD, Map.of("meh", 5L, "good", 4L, "n't", 2L), 1, 100);
        Tokenizer both = base.extendedWith(more);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "good", "bad", "meh", "n't"), both.vocab());
        assertArrayEquals(base.encode("good bad"), both.encode("good bad"));
        assertThrows(IllegalArgumentException.class, () -> base.extendedWith(CHARS));
    }
}
