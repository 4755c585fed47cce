package dev.nightjar.data.text;

import dev.nightjar.data.Splits;
import dev.nightjar.text.Segmenter;
import dev.nightjar.text.TextCleaner;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import scala.Tuple2;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** Counts the tokens of the train documents of one partition, for the distributed vocabulary count. */
public final class CountTokens implements PairFlatMapFunction<Iterator<RawDoc>, String, Long> {
    private static final long serialVersionUID = 1L;

    private final Segmenter segmenter;
    private final DocumentReader reader;

    public CountTokens(Segmenter segmenter, DocumentReader reader) {
        this.segmenter = segmenter;
        this.reader = reader;
    }

    @Override
    public Iterator<Tuple2<String, Long>> call(Iterator<RawDoc> docs) {
        Map<String, Long> counts = new HashMap<>();
        TextCleaner cleaner = new TextCleaner();
        while (docs.hasNext()) {
            RawDoc doc = docs.next();
            if (doc.rejected == null && reader.split(doc).equals(Splits.TRAIN)) {
                DocumentReader.clean(doc, cleaner, chunk -> segmenter.segment(chunk, t -> counts.merge(t, 1L, Long::sum)));
            }
        }
        return counts.entrySet().stream().map(e -> new Tuple2<>(e.getKey(), e.getValue())).iterator();
    }
}
