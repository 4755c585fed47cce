package dev.nightjar.eval;

import dev.nightjar.score.CheckRow;
import dev.nightjar.score.Reading;
import dev.nightjar.score.TextClassifier;
import dev.nightjar.storage.Bundles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Several text classifiers (networks or MLlib pipelines, {@link TextClassifier}) scored on the same
 * labelled documents, read from their text the way {@code nightjar score} reads them: each model's
 * accuracy with a 95% Wilson interval, and against a reference model the paired difference with
 * McNemar's exact p on the documents where exactly one of the two is right. A document a model
 * cannot score (say, empty after cleaning) counts as wrong for it.
 */
public final class ModelComparison {
    /** A model to compare: a name for the report and a bundle directory or registry reference. */
    public record Candidate(String name, String model) {
    }

    /**
     * One model on the documents.
     *
     * @param kind            its family, or the MLlib pipeline
     * @param low             95% Wilson interval of the accuracy
     * @param vsReference     paired comparison with the reference model; null for the reference itself or without one
     * @param docsPerSecond   documents scored per second (scoring alone, Spark's parallelism)
     */
    public record Result(String kind, long documents, long correct, double accuracy, double low, double high, Paired vsReference,
                         double docsPerSecond) {
    }

    /**
     * This model against the reference on the same documents.
     *
     * @param reference      the reference's name
     * @param difference     this model's accuracy minus the reference's
     * @param onlyReference  documents only the reference got right (McNemar's b)
     * @param onlyThis       documents only this model got right (c)
     * @param mcnemarP       two-sided exact McNemar p
     */
    public record Paired(String reference, double difference, long onlyReference, long onlyThis, double mcnemarP) {
    }

    private ModelComparison() {
    }

    /**
     * @param docs       labelled documents: columns {@code label} and {@code text} (strings)
     * @param reference  the candidate the others are paired with, or null
     */
    public static Map<String, Result> run(Dataset<Row> docs, List<Candidate> candidates, String reference, Reading reading, JavaSparkContext sc) {
        Dataset<Row> numbered = docs.select(monotonically_increasing_id().cast("string").as("id"), col("label").cast("string").as("label"),
                col("text").cast("string").as("text")).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> checked = numbered.select(col("id"), col("text"), lit(null).cast("string"), lit(null).cast("string"),
                lit(null).cast("string")).map(new CheckRow(null), Encoders.row(CheckRow.SCHEMA));
        Dataset<Row> joined = numbered.select("id", "label");
        Map<String, String> kinds = new LinkedHashMap<>();
        Map<String, Double> rates = new LinkedHashMap<>();
        List<Dataset<Row>> held = new ArrayList<>();
        List<TextClassifier> open = new ArrayList<>();
        try {
            for (Candidate c : candidates) {
                TextClassifier classifier = TextClassifier.load(Bundles.resolve(c.model(), sc.hadoopConfiguration()), c.model(), sc);
                open.add(classifier);
                Dataset<Row> predicted = classifier.score(checked, classifier.labels().size() - 1, reading)
                        .select(col("id"), col("label").as(column(c))).persist(StorageLevel.MEMORY_AND_DISK());
                held.add(predicted);
                long t0 = System.nanoTime();
                long n = predicted.count();
                rates.put(c.name(), n / ((System.nanoTime() - t0) / 1e9));
                kinds.put(c.name(), classifier.kind());
                joined = joined.join(predicted, "id");
            }
            List<Column> sums = new ArrayList<>(List.of(count(lit(1))));
            for (Candidate c : candidates) {
                sums.add(sum(when(right(c), 1L).otherwise(0L)));
            }
            Candidate ref = candidates.stream().filter(c -> c.name().equals(reference)).findFirst().orElse(null);
            for (Candidate c : candidates) {
                if (ref != null) {
                    sums.add(sum(when(right(ref).and(not(right(c))), 1L).otherwise(0L)));
                    sums.add(sum(when(right(c).and(not(right(ref))), 1L).otherwise(0L)));
                }
            }
            Row r = joined.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).first();
            long n = r.getLong(0);
            Map<String, Result> results = new LinkedHashMap<>();
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                long correct = r.isNullAt(1 + i) ? 0 : r.getLong(1 + i);
                Significance.Interval ci = Significance.wilson(correct, n);
                Paired paired = null;
                if (ref != null && ref != c) {
                    int at = 1 + candidates.size() + 2 * i;
                    long b = r.getLong(at);
                    long cc = r.getLong(at + 1);
                    paired = new Paired(ref.name(), (double) (cc - b) / n, b, cc, Significance.mcnemarExactP(b, cc));
                }
                results.put(c.name(), new Result(kinds.get(c.name()), n, correct, (double) correct / n, ci.low(), ci.high(), paired,
                        rates.get(c.name())));
            }
            return results;
        } finally {
            held.forEach(Dataset::unpersist);
            open.forEach(TextClassifier::close);
            numbered.unpersist();
        }
    }

    /** The name with the highest accuracy; a tie goes to the one listed first. */
    public static String best(Map<String, Result> results) {
        String best = null;
        for (Map.Entry<String, Result> e : results.entrySet()) {
            if (best == null || e.getValue().accuracy() > results.get(best).accuracy()) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static String column(Candidate c) {
        return "p_" + Integer.toHexString(c.name().hashCode()) + "_" + c.name().replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static Column right(Candidate c) {
        return col(column(c)).isNotNull().and(col(column(c)).equalTo(col("label")));
    }
}
