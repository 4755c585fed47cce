package dev.nightjar.data.text;

import dev.nightjar.text.Segmenter;
import dev.nightjar.text.TextCleaner;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** No Spark: the closure is called on documents directly. */
class WordSentencesTest {
    private static List<List<String>> rows(WordSentences f, RawDoc doc) {
        List<List<String>> out = new ArrayList<>();
        for (Iterator<Row> it = f.call(doc); it.hasNext(); ) {
            out.add(List.of((String[]) it.next().get(0)));
        }
        return out;
    }

    @Test
    void cutsWordsAsTheWordTokenizerDoes() {
        String text = "  The \uFB01ne MOVIE,\u0000 wasn't\tGOOD!\r\n\u00C9t\u00E9 ";
        List<String> tokenizer = new ArrayList<>();
        Segmenter.WORD.segment(TextCleaner.clean(text), tokenizer::add);
        assertEquals(List.of("the", "fine", "movie", ",", "was", "n't", "good", "!", "été"), tokenizer);
        WordSentences f = new WordSentences(1000);
        assertEquals(List.of(tokenizer), rows(f, RawDoc.ofText(text)));
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(tokenizer), rows(f, RawDoc.ofBytes(bytes)), "a line's raw bytes read the same");
    }

    @Test
    void cutsLongDocumentsIntoSentencesAndSkipsEmptyOrRejectedOnes() {
        WordSentences f = new WordSentences(3);
        assertEquals(List.of(List.of("a", "b", "c"), List.of("d", "e", "f"), List.of("g")), rows(f, RawDoc.ofText("a b c d e f g")));
        assertFalse(f.call(RawDoc.ofText(" \t\n")).hasNext());
        assertFalse(f.call(RawDoc.rejected("malformed_row")).hasNext());
    }
}
