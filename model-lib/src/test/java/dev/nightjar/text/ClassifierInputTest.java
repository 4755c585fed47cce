package dev.nightjar.text;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassifierInputTest {
    // ids: a = 4, b = 5
    private static final Tokenizer AB = Tokenizer.fromCounts(Segmenter.CHAR, Map.of("a", 2L, "b", 1L), 1, 100);
    private static final int E = Tokenizer.EOS;

    @Test
    void aLongTextIsReadAsConsecutiveWindowsEachAfterTheEndMarker() {
        // max-len 4: 3 tokens a window; 8 tokens make windows of 3, 3 and 2
        ClassifierInput.Windows w = ClassifierInput.windows("aabbabab", AB, 4, 10);
        assertEquals(3, w.windows().size());
        assertArrayEquals(new int[] {E, 4, 4, 5}, w.windows().get(0));
        assertArrayEquals(new int[] {E, 5, 4, 5}, w.windows().get(1));
        assertArrayEquals(new int[] {E, 4, 5}, w.windows().get(2));
        assertFalse(w.truncated());
        assertFalse(ClassifierInput.windows("aabbab", AB, 4, 2).truncated(), "exactly two full windows");
    }

    @Test
    void windowsBeyondTheLimitAreLeftUnreadAndSaidSo() {
        ClassifierInput.Windows w = ClassifierInput.windows("aabbabab", AB, 4, 2);
        assertEquals(2, w.windows().size());
        assertArrayEquals(new int[] {E, 5, 4, 5}, w.windows().get(1));
        assertTrue(w.truncated());
    }

    @Test
    void encodeIsTheFirstWindowAndAnEmptyTextIsTheMarkerAlone() {
        ClassifierInput.Encoded first = ClassifierInput.encode("aabbabab", AB, 4);
        assertArrayEquals(new int[] {E, 4, 4, 5}, first.ids());
        assertTrue(first.truncated());
        assertArrayEquals(new int[] {E}, ClassifierInput.windows("", AB, 4, 3).windows().get(0));
        assertEquals(1, ClassifierInput.windows("", AB, 4, 3).windows().size());
    }

    @Test
    void aLargeLimitGrowsItsBufferAsTokensArrive() {
        String text = "ab".repeat(3000); // 6,000 tokens: the buffer starts at 1,024
        ClassifierInput.Windows w = ClassifierInput.windows(text, AB, 256, 1 << 20);
        assertEquals(24, w.windows().size()); // 6,000 / 255 = 23.5
        assertEquals(6000 - 23 * 255 + 1, w.windows().get(23).length);
        assertFalse(w.truncated());
    }

    // word ids: good = 4, bad = 5; punctuation is unknown (1)
    private static final Tokenizer WORDS = Tokenizer.fromCounts(Segmenter.WORD, Map.of("good", 2L, "bad", 1L), 1, 100);
    private static final String THREE_SENTENCES = "Good bad. Bad good! Good good bad.";

    @Test
    void sentencesAreReadOneByOneAndWholeIsOnePartOfEveryTokenRead() {
        ClassifierInput.Windows s = ClassifierInput.read(THREE_SENTENCES, WORDS, 4, 10, ClassifierInput.LongDocuments.SENTENCES);
        assertEquals(4, s.windows().size(), "the third sentence has 4 tokens: two windows of 3");
        assertArrayEquals(new int[] {E, 4, 5, 1}, s.windows().get(0));
        assertArrayEquals(new int[] {E, 5, 4, 1}, s.windows().get(1));
        assertArrayEquals(new int[] {E, 4, 4, 5}, s.windows().get(2));
        assertArrayEquals(new int[] {E, 1}, s.windows().get(3));
        assertFalse(s.truncated());
        ClassifierInput.Windows whole = ClassifierInput.read(THREE_SENTENCES, WORDS, 4, 10, ClassifierInput.LongDocuments.WHOLE);
        assertEquals(1, whole.windows().size());
        assertArrayEquals(new int[] {E, 4, 5, 1, 5, 4, 1, 4, 4, 5, 1}, whole.windows().get(0));
        assertFalse(whole.truncated());
    }

    @Test
    void everyWayOfReadingReadsAtMostTheSameTokens() {
        // max-len 3, 2 windows: 4 of the 11 tokens at most
        for (ClassifierInput.LongDocuments mode : ClassifierInput.LongDocuments.values()) {
            ClassifierInput.Windows w = ClassifierInput.read(THREE_SENTENCES, WORDS, 3, 2, mode);
            assertEquals(4, w.windows().stream().mapToInt(ids -> ids.length - 1).sum(), mode.id());
            assertTrue(w.truncated(), mode.id());
        }
        ClassifierInput.Windows s = ClassifierInput.read(THREE_SENTENCES, WORDS, 3, 2, ClassifierInput.LongDocuments.SENTENCES);
        assertArrayEquals(new int[] {E, 5}, s.windows().get(2), "the second sentence's first token spends the budget");
    }
}
