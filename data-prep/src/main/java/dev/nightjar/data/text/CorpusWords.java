package dev.nightjar.data.text;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

/**
 * The different words of a corpus, cut as the word tokenizer cuts them ({@link WordSentences}): what
 * {@code prepare vectors --corpus} keeps vectors for. The set (a vocabulary, not the corpus) is collected to
 * the driver, as a tokenizer is.
 */
public final class CorpusWords {
    private CorpusWords() {
    }

    public static Set<String> of(JavaSparkContext sc, List<TextInput> inputs) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        List<Row> rows = spark.createDataFrame(TextSources.read(sc, inputs).flatMap(new WordSentences(1000)),
                        WordSentences.SCHEMA)
                .select(explode(col(WordSentences.COLUMN)).as("word")).distinct().collectAsList();
        Set<String> words = new HashSet<>(rows.size() * 2);
        rows.forEach(r -> words.add(r.getString(0)));
        return words;
    }
}
