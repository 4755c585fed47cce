package dev.nightjar.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextCleanerTest {

    @Test
    void normalisesWhitespaceControlsAndCompatibilityForms() {
        assertEquals("a b\nc", TextCleaner.clean("  a\t\u00A0 b \r\n c \u0000 "));
        assertEquals("file 12", TextCleaner.clean("\uFB01le\u0000 \uFF11\uFF12"), "NFKC: ligature and full-width digits");
        assertEquals("é", TextCleaner.clean("e\u0301"), "NFKC composes");
        assertEquals("", TextCleaner.clean("\u0007 \n\t"));
    }

    @Test
    void countsAddUp() {
        TextCleaner c = new TextCleaner();
        StringBuilder out = new StringBuilder();
        c.feed(" \uFB01x\u0000\u0001  y ", out);
        c.endDocument();
        assertEquals("fix y", out.toString());
        assertEquals(9, c.read());
        assertEquals(1, c.nfkcDelta());
        assertEquals(2, c.controlRemoved());
        assertEquals(3, c.whitespaceRemoved());
        assertEquals(5, c.written());
        assertEquals(c.written(), c.read() + c.nfkcDelta() - c.controlRemoved() - c.whitespaceRemoved());
    }

    @Test
    void chunkedCleaningEqualsWholeCleaning() {
        String doc = "Caf\u00E9 e\u0301t\u00E9  \u2460 word\u00A0\u00A0next ".repeat(200);
        StringBuilder chunked = new StringBuilder();
        TextCleaner c = new TextCleaner();
        int start = 0;
        while (start < doc.length()) {
            int end = Math.min(doc.length(), start + 37);
            int cut = end == doc.length() ? end : TextCleaner.safeCut(doc, start, end);
            c.feed(doc.substring(start, cut), chunked);
            start = cut;
        }
        assertEquals(TextCleaner.clean(doc), chunked.toString());
    }
}
