package dev.nightjar.demo;

import com.typesafe.config.Config;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.jobs.BaselineJob;
import dev.nightjar.jobs.EvaluateJob;
import dev.nightjar.jobs.ScoreJob;
import dev.nightjar.jobs.TrainJob;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Optimizer;
import dev.nightjar.train.TrainConfig;
import dev.nightjar.util.Json;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * {@code nightjar demo sentiment}: the language model of the text demo (trained first when missing)
 * → prepare the sentence polarity corpus with its tokenizer → fine-tune a classifier from it, train
 * the same network from scratch, and the MLlib baseline, all measured on the same test split
 * ({@code comparison.json}) → score the movie-review corpus with synthetic, deterministic
 * timestamps over 60 days and a synthetic source, so trends, alerts and the report all run.
 */
public final class SentimentDemo {
    /** Day 0 of the synthetic timeline (UTC). */
    public static final long START_EPOCH_SECONDS = 1_767_225_600L; // 2026-01-01T00:00:00Z
    public static final int DAYS = 60;
    public static final List<String> SYNTHETIC_NOTES = List.of(
            "Timestamps and sources are SYNTHETIC: each review of the pang&lee movie-review corpus was given a time over "
                    + DAYS + " days from 2026-01-01 and a source ('forum' or 'newsletter') by a hash of its text.",
            "To show the alert path, a third of the negative reviews (by hash) were moved to 'forum' on days 50 and 51 "
                    + "(2026-02-20 and 2026-02-21): a staged incident, not an observation.");
    private static final Logger LOG = LoggerFactory.getLogger(SentimentDemo.class);

    /**
     * @param workdir    demo directory; everything goes under workdir/sentiment (the language model: workdir/text/model)
     * @param samples    sample data directory
     * @param config     resolved sentiment config
     * @param settings   its demo.sentiment section
     * @param prepOpts   classification prep options: (input, output) → options
     * @param scoreOpts  score options: (input csv, output) → options
     * @param textDemo   runs the text demo when its model is missing
     * @param lmConfig   the language model's config (lm-char.conf), for its fine-tuning on the sentences
     * @param lmPrepOpts language-model prep options: (inputs, output) → options
     */
    public record Options(Path workdir, Path samples, Config config, SentimentDemoConfig settings,
                          java.util.function.BiFunction<String, String, ClassificationPrep.Options> prepOpts,
                          java.util.function.BiFunction<String, String, ScoreJob.Options> scoreOpts,
                          Function<JavaSparkContext, ?> textDemo, Config lmConfig,
                          java.util.function.BiFunction<List<TextInput>, String, TextPrep.Options> lmPrepOpts) {
    }

    public record Result(Map<String, ClassificationMetrics> comparison, ScoreJob.Result scoring, double minutes) {
    }

    private SentimentDemo() {
    }

    public static Result run(Options o, JavaSparkContext sc) {
        long t0 = System.nanoTime();
        Path lm = o.workdir().resolve("text").resolve(TrainJob.MODEL_DIR);
        if (!Files.isRegularFile(lm.resolve(ModelBundle.MODEL_FILE))) {
            LOG.info("no language model in {}: running the text demo first", lm);
            o.textDemo().apply(sc);
        }
        FetchSamples.TextSamples samples = FetchSamples.text(o.samples());
        Path dir = o.workdir().resolve("sentiment");
        String data = dir.resolve("data").toString();
        if (HadoopFiles.exists(data + "/" + Manifest.FILE, sc.hadoopConfiguration())
                && Manifest.tokenizer(data, sc.hadoopConfiguration()).equals(ModelBundle.load(lm).tokenizer())) {
            LOG.info("reusing prepared data in {}", data);
        } else {
            new ClassificationPrep(sc).run(o.prepOpts().apply(samples.sentences().toString(), data));
        }

        Path encoder = adaptLanguageModel(o, sc, lm, data, dir);
        Map<String, ClassificationMetrics> comparison = new LinkedHashMap<>();
        comparison.put("finetuned", trainAndTest(sc, o.config(), data, dir.resolve("finetuned"), encoder));
        comparison.put("scratch", trainAndTest(sc, o.config(), data, dir.resolve("scratch"), null));
        comparison.put("baseline", BaselineJob.run(new BaselineJob.Options(data, "test", dir.resolve("baseline")), sc).metrics());
        Json.writeFile(dir.resolve("comparison.json"), comparison);

        String input = dir.resolve("score-input").toString();
        syntheticTimeline(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), samples.reviews().toString(), input);
        ScoreJob.Result scoring = ScoreJob.run(o.scoreOpts().apply(input, dir.resolve("scores").toString()), sc);
        return new Result(comparison, scoring, (System.nanoTime() - t0) / 60e9);
    }

    /**
     * ULMFiT's second stage: the language model trained on, for {@code demo.sentiment.lm-epochs}
     * epochs, the text of the labelled train split only (no validation or test sentence). Returns the
     * model to fine-tune from: the adapted one, or the pretrained one when the epochs are 0.
     */
    private static Path adaptLanguageModel(Options o, JavaSparkContext sc, Path lm, String data, Path dir) {
        int epochs = o.settings().lmEpochs();
        if (epochs == 0) {
            return lm;
        }
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        String text = dir.resolve("lm-text").toString();
        spark.read().parquet(HadoopFiles.qualify(data, sc.hadoopConfiguration()) + "/" + ClassificationPrep.DOCS_DIR)
                .filter(col("split").equalTo(dev.nightjar.data.Splits.TRAIN)).select("text")
                .coalesce(1).write().mode("overwrite").text(text);
        String lmData = dir.resolve("lm-data").toString();
        TextPrep.Options prep = o.lmPrepOpts().apply(List.of(new TextInput("lines", null, List.of(text))), lmData);
        new TextPrep(sc).run(new TextPrep.Options(prep.inputs(), prep.output(), prep.tokenizer(), lm.toString(), prep.seqLen(),
                prep.batchSize(), prep.valFraction(), prep.testFraction(), prep.seed(), prep.minCount(), prep.maxVocab(), true));
        Config c = com.typesafe.config.ConfigFactory.parseMap(Map.of(TrainConfig.EPOCHS.key(), epochs, TrainConfig.MAX_RECORDS.key(), 0,
                        Optimizer.LEARNING_RATE.key(), o.settings().lmLearningRate(), Optimizer.SCHEDULE.key(), "none"))
                .withFallback(o.lmConfig()).resolve();
        Path run = dir.resolve("lm-adapted");
        TrainJob.run(new TrainJob.Options(c, lmData, run.toString(), true, lm.toString(), true, true), sc);
        return run.resolve(TrainJob.MODEL_DIR);
    }

    private static ClassificationMetrics trainAndTest(JavaSparkContext sc, Config c, String data, Path run, Path initFrom) {
        TrainJob.run(new TrainJob.Options(c, data, run.toString(), true, initFrom == null ? null : initFrom.toString(), true, true), sc);
        return EvaluateJob.classification(new EvaluateJob.Options(run.resolve(TrainJob.MODEL_DIR).toString(), data, "test", run.resolve("eval").toString(), 0), sc);
    }

    /**
     * The review corpus (label, text; no header) as a scoring input with a header: id, time, source,
     * text. Every value is a deterministic function of the review's text; see {@link #SYNTHETIC_NOTES}.
     */
    static void syntheticTimeline(SparkSession spark, String reviewsCsv, String output) {
        Dataset<Row> reviews = spark.read().option("multiLine", true).option("escape", "\"").csv(reviewsCsv)
                .toDF("label", "text");
        Column h = xxhash64(col("text"));
        Column incident = col("label").equalTo("-1").and(pmod(xxhash64(col("text"), lit("incident")), lit(3)).equalTo(0));
        Column day = when(incident, lit(50).plus(pmod(h, lit(2)))).otherwise(pmod(h, lit(DAYS)));
        Column second = pmod(xxhash64(col("text"), lit("second")), lit(86_400));
        Column source = when(incident, lit("forum")).otherwise(element_at(array(lit("forum"), lit("newsletter")),
                pmod(xxhash64(col("text"), lit("source")), lit(2)).plus(1).cast("int")));
        reviews.select(concat(lit("review-"), sha2(col("text"), 256).substr(1, 12)).as("id"),
                        date_format(timestamp_seconds(lit(START_EPOCH_SECONDS).plus(day.multiply(86_400)).plus(second)),
                                "yyyy-MM-dd'T'HH:mm:ss'Z'").as("time"),
                        source.as("source"), col("text"))
                .coalesce(1).write().mode("overwrite").option("header", true).option("escape", "\"").csv(output);
    }
}
