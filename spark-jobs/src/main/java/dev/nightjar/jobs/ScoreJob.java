package dev.nightjar.jobs;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.text.TextSources;
import dev.nightjar.model.LabelMap;
import dev.nightjar.monitor.Alerts;
import dev.nightjar.monitor.SentimentReport;
import dev.nightjar.monitor.TrendPoint;
import dev.nightjar.monitor.Trends;
import dev.nightjar.score.CheckRow;
import dev.nightjar.score.Reading;
import dev.nightjar.score.TimeParser;
import dev.nightjar.score.TextClassifier;
import dev.nightjar.storage.Bundles;
import dev.nightjar.storage.RunLock;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code nightjar score}: scores every document of a corpus with a text classifier (a network of a
 * classification family, or the MLlib baseline's pipeline; {@link TextClassifier}), at Spark scale.
 * Rows are checked once ({@link CheckRow}); a network is broadcast once and each partition scores
 * its rows in batches; nothing that grows with the corpus reaches the driver. Writes, into a temporary directory renamed into place at the end:
 * <ul>
 *   <li>{@code scores/} (Parquet): id, time, group, label, confidence, probabilities (label → p),
 *       positive_probability, windows, truncated, model_name, model_version, scored_at;</li>
 *   <li>{@code rejects/} (Parquet): id, group, reason, text, time (as given), raw_record; every
 *       input row is in exactly one of the two, and every non-empty input line (bar csv headers) in
 *       exactly one row: a plain count of the input's lines, apart from its reader, checks it;</li>
 *   <li>with a time column: {@code trends/} (Parquet), {@code alerts.json};</li>
 *   <li>{@code report.html} and {@code summary.json} (counts, rejects by reason, the input's lines and
 *       invalid UTF-8 counted apart from its reader, docs/s).</li>
 * </ul>
 */
public final class ScoreJob {
    public static final String SCORES = "scores";
    public static final String REJECTS = "rejects";
    public static final String TRENDS = "trends";
    public static final String ALERTS_FILE = "alerts.json";
    public static final String REPORT_FILE = "report.html";
    public static final String SUMMARY_FILE = "summary.json";
    /** The group of every row without a group column. */
    public static final String ONE_GROUP = CheckRow.ONE_GROUP;
    /** The group of a row whose group column is empty, kept apart from a real group named "all". */
    public static final String NO_GROUP = "(none)";
    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);

    /**
     * @param model         text-classifier bundle directory
     * @param inputs        files, directories or globs (local or hdfs://)
     * @param format        csv, jsonl or parquet
     * @param idCol         document id column
     * @param textCol       text column
     * @param timeCol       time column, or null (then no trends or alerts)
     * @param timeFormat    how the time column reads ({@link TimeParser}): auto, iso, epoch-s, epoch-ms or a pattern
     * @param groupCol      group column (source, topic), or null (one group, "all"); an empty value is the group "(none)"
     * @param output        output directory
     * @param bucket        hour, day or week
     * @param reading       how a network reads documents (batches, long documents)
     * @param positiveLabel the label whose probability is the sentiment; null or "" = the last label
     * @param window        trailing buckets an alert compares with
     * @param threshold     standard deviations that make an alert
     * @param minDocuments  least documents for a bucket's sentiment to count
     * @param notes         lines shown at the top of the report (e.g. that timestamps are synthetic)
     * @param overwrite     replace an existing output
     */
    public record Options(String model, List<String> inputs, String format, String idCol, String textCol, String timeCol,
                          String timeFormat, String groupCol, String output, String bucket, Reading reading, String positiveLabel,
                          int window, double threshold, long minDocuments, List<String> notes, boolean overwrite) {
        /** Times read by {@link TimeParser#AUTO}. */
        public Options(String model, List<String> inputs, String format, String idCol, String textCol, String timeCol,
                       String groupCol, String output, String bucket, Reading reading, String positiveLabel, int window,
                       double threshold, long minDocuments, List<String> notes, boolean overwrite) {
            this(model, inputs, format, idCol, textCol, timeCol, TimeParser.AUTO, groupCol, output, bucket, reading, positiveLabel, window,
                    threshold, minDocuments, notes, overwrite);
        }
    }

    /**
     * @param docsPerSecond input rows per second of the scoring pass
     * @param input         the input's lines counted apart from its reader, against the lines the rows span; invalid UTF-8
     */
    public record Result(long rows, long scored, Map<String, Long> rejectedByReason, List<Alerts.Alert> alerts,
                         double seconds, double docsPerSecond, String output, TextSources.InputCount input) {
    }

    private ScoreJob() {
    }

    /** Scores while holding the output's lock: a second job writing the same output refuses. */
    public static Result run(Options o, JavaSparkContext sc) {
        return RunLock.whilePublishing(o.output(), sc.hadoopConfiguration(), () -> score(o, sc));
    }

    private static Result score(Options o, JavaSparkContext sc) {
        Configuration hconf = sc.hadoopConfiguration();
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        String output = HadoopFiles.qualify(o.output(), hconf);
        if (HadoopFiles.exists(output, hconf) && !o.overwrite()) {
            throw new UserException("output already exists: " + o.output() + " (use --overwrite to replace it)");
        }
        Trends.checkBucket(o.bucket());
        TimeParser times = o.timeCol() == null ? null : new TimeParser(o.timeFormat());
        String modelDir = Bundles.resolve(o.model(), hconf);
        TextClassifier classifier = TextClassifier.load(modelDir, o.model(), sc);
        Classifier model = new Classifier(classifier, classifier.labels(), positiveIndex(classifier.labels(), o.positiveLabel()),
                Bundles.identity(modelDir, hconf));
        List<String> paths = o.inputs().stream().map(p -> HadoopFiles.qualify(p, hconf)).toList();
        TextSources.Table table = TextSources.table(spark, paths, o.format(), java.util.Arrays.asList(o.idCol(), o.textCol(), o.timeCol(), o.groupCol()));
        Dataset<Row> checked = input(o, table, sc).map(new CheckRow(times), Encoders.row(CheckRow.SCHEMA));
        Timestamp scoredAt = Timestamp.from(Instant.now());
        Dataset<Row> all = classifier.score(checked, model.positive(), o.reading()).persist(StorageLevel.MEMORY_AND_DISK());
        String tmp = HadoopFiles.tempSibling(output);
        try {
            long t0 = System.nanoTime();
            all.filter(col("reject").isNull())
                    .select(col("id"), col("time"), col("group"), col("label"), col("confidence"), col("probabilities"),
                            col("positive_probability"), col("windows"), col("truncated"), lit(model.id().name()).as("model_name"),
                            lit(model.id().version()).as("model_version"), lit(scoredAt).as("scored_at"))
                    .write().parquet(tmp + "/" + SCORES);
            double seconds = (System.nanoTime() - t0) / 1e9;
            all.filter(col("reject").isNotNull())
                    .select(col("id"), col("group"), col("reject").as("reason"), col("raw_text").as("text"), col("raw_time").as("time"),
                            col("raw_record"))
                    .write().parquet(tmp + "/" + REJECTS);
            Counts counts = Counts.of(all, model.labels());
            TextSources.InputCount input = TextSources.count(sc, table, counts.lines());
            if (!input.balanced()) {
                LOG.error("{} input lines of {} are in no row of scores/ or rejects/ ({} rows span {} of the {} non-empty lines); rows were lost",
                        input.unaccountedLines(), paths, counts.rows(), counts.lines(), input.inputLines() - input.emptyLines());
            }
            List<TrendPoint> points = List.of();
            List<Alerts.Alert> alerts = List.of();
            if (o.timeCol() != null) {
                Trends.compute(spark.read().parquet(tmp + "/" + SCORES), o.bucket(), model.labels().labels()).write().parquet(tmp + "/" + TRENDS);
                points = Trends.points(spark.read().parquet(tmp + "/" + TRENDS));
                alerts = Alerts.detect(points, o.bucket(), o.window(), o.threshold(), o.minDocuments());
                HadoopFiles.writeString(tmp + "/" + ALERTS_FILE,
                        Json.write(Alerts.file(alerts, o.bucket(), o.window(), o.threshold(), o.minDocuments())) + "\n", hconf);
            }
            Map<String, Object> summary = summary(o, model, paths, counts, input, alerts.size(), seconds, sc);
            HadoopFiles.writeString(tmp + "/" + SUMMARY_FILE, Json.write(summary) + "\n", hconf);
            HadoopFiles.writeString(tmp + "/" + REPORT_FILE, SentimentReport.html("Nightjar sentiment: " + model.id().name(), points, alerts,
                    counts.byLabel(), summary, o.notes()), hconf);
            HadoopFiles.publishDir(tmp, output, hconf);
            long rows = counts.rows();
            LOG.info("scored {} of {} rows in {} s ({} docs/s); rejected {}; {} alerts", counts.scored(), rows, seconds, rows / seconds,
                    counts.rejected(), alerts.size());
            return new Result(rows, counts.scored(), counts.rejected(), alerts, seconds, rows / seconds, output, input);
        } catch (RuntimeException e) {
            HadoopFiles.delete(tmp, hconf);
            throw e;
        } finally {
            all.unpersist();
            classifier.close();
        }
    }

    /** The classifier that scores, the label whose probability is the sentiment, and how scores name it. */
    private record Classifier(TextClassifier classifier, LabelMap labels, int positive, Bundles.Identity id) {
    }

    /** The input's id, text, time and group columns and the corrupt record as strings, then its lines; every row with a group, spread over every core. */
    private static Dataset<Row> input(Options o, TextSources.Table input, JavaSparkContext sc) {
        Dataset<Row> table = input.rows();
        Dataset<Row> strings = table.select(java.util.Arrays.stream(table.columns())
                .map(c -> c.equals(TextSources.LINES) ? col(c) : col(c).cast("string")).toArray(org.apache.spark.sql.Column[]::new));
        String group = strings.columns()[3];
        strings = strings.withColumn(group, coalesce(col(group), lit(o.groupCol() == null ? ONE_GROUP : NO_GROUP)));
        if (strings.rdd().getNumPartitions() < sc.defaultParallelism()) {
            // a multi-line csv or a single small file is one partition: spread it so every core scores
            strings = strings.repartition(sc.defaultParallelism());
        }
        return strings;
    }

    /**
     * What one pass over the scored and rejected rows counts.
     *
     * @param byLabel   scored documents per predicted label, in the model's label order
     * @param rejected  rejected rows by reason
     * @param truncated scored documents read only in part
     * @param lines     input lines the scored and rejected rows span
     */
    private record Counts(Map<String, Long> byLabel, Map<String, Long> rejected, long scored, long truncated, long lines) {
        static Counts of(Dataset<Row> all, LabelMap labels) {
            Map<String, Long> rejected = new TreeMap<>();
            Map<String, Long> byLabel = new LinkedHashMap<>();
            labels.labels().forEach(l -> byLabel.put(l, 0L));
            long scored = 0;
            long truncated = 0;
            long lines = 0;
            for (Row r : all.groupBy("reject", "label").agg(count(lit(1)), sum(when(col("truncated"), 1L).otherwise(0L)),
                    sum(coalesce(col("lines"), lit(0L)))).collectAsList()) {
                lines += r.getLong(4);
                if (r.isNullAt(0)) {
                    byLabel.put(r.getString(1), r.getLong(2));
                    scored += r.getLong(2);
                    truncated += r.getLong(3);
                } else {
                    rejected.merge(r.getString(0), r.getLong(2), Long::sum);
                }
            }
            return new Counts(byLabel, rejected, scored, truncated, lines);
        }

        long rows() {
            return scored + rejected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static Map<String, Object> summary(Options o, Classifier model, List<String> paths, Counts counts, TextSources.InputCount input,
                                               int alerts, double seconds, JavaSparkContext sc) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", o.model());
        summary.put("model_version", model.id().version());
        summary.put("input", o.format() + " " + paths);
        summary.put("rows_read", counts.rows());
        summary.put("input_lines", input.inputLines());
        summary.put("empty_lines", input.emptyLines());
        summary.put("header_lines", input.headerLines());
        summary.put("lines_in_rows", input.linesInRows());
        summary.put("unaccounted_lines", input.unaccountedLines());
        summary.put("invalid_utf8", input.invalidUtf8());
        summary.put("time_format", o.timeCol() == null ? null : new TimeParser(o.timeFormat()).format());
        summary.put("scored", counts.scored());
        summary.put("model_kind", model.classifier().kind());
        summary.put("max_windows", o.reading().maxWindows());
        summary.put("long_documents", o.reading().longDocuments().id());
        summary.put("truncated", counts.truncated());
        summary.put("rejected", counts.rows() - counts.scored());
        summary.put("rejected_by_reason", counts.rejected());
        summary.put("positive_label", model.labels().name(model.positive()));
        summary.put("bucket", o.timeCol() == null ? null : o.bucket());
        summary.put("alerts", alerts);
        summary.put("scoring_seconds", seconds);
        summary.put("docs_per_second", counts.rows() / seconds);
        summary.put("spark_master", sc.master());
        return summary;
    }

    private static int positiveIndex(LabelMap labels, String positive) {
        if (positive == null || positive.isEmpty()) {
            return labels.size() - 1;
        }
        int i = labels.indexOf(positive);
        if (i < 0) {
            throw new UserException("score.positive-label '" + positive + "' is not one of the model's labels " + labels.labels());
        }
        return i;
    }

}
