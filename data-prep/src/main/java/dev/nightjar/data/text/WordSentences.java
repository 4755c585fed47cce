package dev.nightjar.data.text;

import dev.nightjar.text.Segmenter;
import dev.nightjar.text.TextCleaner;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A document as rows of words, for word2vec: cleaned and cut exactly as the word tokenizer cuts text
 * ({@link TextCleaner}, then {@link Segmenter#WORD}: Unicode word boundaries, lower-cased, punctuation marks
 * as words), so pretrained vectors cover the tokens that prepare and score produce. A long document is cut
 * into rows of at most {@code maxWords} words (word2vec's sentence length); a rejected or empty document
 * gives no row.
 */
public final class WordSentences implements FlatMapFunction<RawDoc, Row> {
    private static final long serialVersionUID = 1L;

    public static final String COLUMN = "words";
    public static final StructType SCHEMA = new StructType().add(COLUMN, DataTypes.createArrayType(DataTypes.StringType, false), false);

    private final int maxWords;

    public WordSentences(int maxWords) {
        if (maxWords < 1) {
            throw new IllegalArgumentException("maxWords must be >= 1, got " + maxWords);
        }
        this.maxWords = maxWords;
    }

    @Override
    public Iterator<Row> call(RawDoc doc) {
        if (doc.rejected != null) {
            return Collections.emptyIterator();
        }
        List<Row> rows = new ArrayList<>();
        List<String> words = new ArrayList<>();
        DocumentReader.clean(doc, new TextCleaner(), chunk -> Segmenter.WORD.segment(chunk, w -> {
            words.add(w);
            if (words.size() == maxWords) {
                rows.add(row(words));
                words.clear();
            }
        }));
        if (!words.isEmpty()) {
            rows.add(row(words));
        }
        return rows.iterator();
    }

    private static Row row(List<String> words) {
        return RowFactory.create((Object) words.toArray(new String[0]));
    }
}
