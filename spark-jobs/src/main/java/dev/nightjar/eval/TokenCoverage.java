package dev.nightjar.eval;

import dev.nightjar.text.TextCleaner;
import dev.nightjar.text.Tokenizer;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Iterator;
import java.util.List;

/**
 * How much of a corpus a tokenizer knows, such as the vocabulary of imported word vectors: tokens
 * and unknown tokens of a text column, counted per partition and summed.
 */
public final class TokenCoverage implements FlatMapFunction<Iterator<Row>, long[]> {
    private static final long serialVersionUID = 1L;

    private final Tokenizer tokenizer;

    private TokenCoverage(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The share of the text column's tokens the tokenizer maps to its unknown id (0 for no tokens). */
    public static double unknownShare(Dataset<Row> text, Tokenizer tokenizer) {
        long[] counts = text.javaRDD().mapPartitions(new TokenCoverage(tokenizer)).fold(new long[2], TokenCoverage::add);
        return counts[0] == 0 ? 0 : (double) counts[1] / counts[0];
    }

    @Override
    public Iterator<long[]> call(Iterator<Row> rows) {
        long[] counts = new long[2];
        while (rows.hasNext()) {
            Row r = rows.next();
            if (!r.isNullAt(0)) {
                tokenizer.encode(TextCleaner.clean(r.get(0).toString()), id -> {
                    counts[0]++;
                    if (id == Tokenizer.UNK) {
                        counts[1]++;
                    }
                });
            }
        }
        return List.of(counts).iterator();
    }

    private static long[] add(long[] a, long[] b) {
        return new long[] {a[0] + b[0], a[1] + b[1]};
    }
}
