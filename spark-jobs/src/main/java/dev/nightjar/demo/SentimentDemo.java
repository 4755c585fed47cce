package dev.nightjar.demo;

import com.typesafe.config.Config;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.data.Splits;
import dev.nightjar.eval.ModelComparison;
import dev.nightjar.eval.TokenCoverage;
import dev.nightjar.jobs.Candidates;
import dev.nightjar.jobs.ScoreJob;
import dev.nightjar.jobs.TrainJob;
import dev.nightjar.jobs.VectorsJob;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Optimizer;
import dev.nightjar.score.Reading;
import dev.nightjar.text.Tokenizer;
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
 * {@code nightjar demo sentiment}, a champion and its challengers: the language model of the text demo
 * (trained first when missing) and the GloVe vectors ({@code fetch-samples --vectors}) → the sentence
 * polarity corpus prepared twice, with the language model's characters and with the vectors' words,
 * on the same splits → five candidates: a word CNN on GloVe, the char-LSTM classifier fine-tuned from
 * the language model, the same network from scratch, a Transformer classifier fine-tuned from the Transformer
 * language model of the text demo (pretrained first when missing; {@code demo.sentiment.transformer}), and the MLlib baseline → all read from the same
 * sentences' text: the champion is the best on validation; the test split gives every candidate's
 * accuracy with a 95% interval and its McNemar test against the champion; the labelled movie reviews
 * give each one's accuracy on whole reviews ({@code comparison.json}) → the champion scores the
 * review corpus with synthetic, deterministic timestamps over 60 days and a synthetic source, so
 * trends, alerts and the report all run.
 */
public final class SentimentDemo {
    /** Day 0 of the synthetic timeline (UTC). */
    public static final long START_EPOCH_SECONDS = 1_767_225_600L; // 2026-01-01T00:00:00Z
    public static final int DAYS = 60;
    public static final String COMPARISON_FILE = "comparison.json";
    public static final List<String> SYNTHETIC_NOTES = List.of(
            "Timestamps and sources are SYNTHETIC: each review of the pang&lee movie-review corpus was given a time over "
                    + DAYS + " days from 2026-01-01 and a source ('forum' or 'newsletter') by a hash of its text.",
            "To show the alert path, a third of the negative reviews (by hash) were moved to 'forum' on days 50 and 51 "
                    + "(2026-02-20 and 2026-02-21): a staged incident, not an observation.");
    private static final Logger LOG = LoggerFactory.getLogger(SentimentDemo.class);

    /**
     * @param workdir    demo directory; everything goes under workdir/sentiment (the language model: workdir/text/model)
     * @param samples    sample data directory
     * @param config     resolved sentiment config (the char-LSTM classifier; its prepare.classification and score sections serve all)
     * @param cnnConfig  resolved config of the word CNN
     * @param settings   its demo.sentiment section
     * @param prep       classification prep options: (config, input, output, tokenizer-from) → options
     * @param scoreOpts  score options: (model, input csv, output) → options
     * @param reading    how networks read the reviews
     * @param textDemo   runs the text demo when its model is missing
     * @param lmConfig   the language model's config (lm-char.conf), for its fine-tuning on the sentences
     * @param lmPrepOpts language-model prep options: (inputs, output) → options
     * @param transformer the Transformer challenger (with demo.sentiment.transformer on)
     */
    public record Options(Path workdir, Path samples, Config config, Config cnnConfig, SentimentDemoConfig settings,
                          Prep prep, Scoring scoreOpts, Reading reading, Function<JavaSparkContext, ?> textDemo, Config lmConfig,
                          java.util.function.BiFunction<List<TextInput>, String, TextPrep.Options> lmPrepOpts, Transformer transformer) {
    }

    /**
     * The Transformer challenger: a classifier fine-tuned from the Transformer language model of {@code demo text}.
     *
     * @param classifier its job file (conf/sentiment-transformer.conf)
     * @param lmConfig   the language model's (conf/lm-transformer.conf): where the text demo puts it
     * @param textDemo   runs the text demo with it when its model is missing
     */
    public record Transformer(Config classifier, Config lmConfig, Function<JavaSparkContext, ?> textDemo) {
    }

    /** Classification prep options by a config's prepare.classification section, for an input, an output and a tokenizer to reuse. */
    @FunctionalInterface
    public interface Prep {
        ClassificationPrep.Options options(Config config, String input, String output, String tokenizerFrom);
    }

    /** Score options for a model, an input and an output. */
    @FunctionalInterface
    public interface Scoring {
        ScoreJob.Options options(String model, String input, String output);
    }

    /**
     * @param champion   the candidate with the best validation accuracy: it scored the reviews
     * @param comparison what {@code comparison.json} holds
     */
    public record Result(String champion, Map<String, Object> comparison, Map<String, ModelComparison.Result> test,
                         ScoreJob.Result scoring, double minutes) {
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
        Path vectors = dir.resolve("vectors");
        if (!Files.isRegularFile(vectors.resolve(ModelBundle.MODEL_FILE))) {
            // GloVe's most frequent words, and every word of the sentences and reviews that GloVe knows
            TextInput corpus = new TextInput("csv", "1", List.of(samples.sentences().toString(), samples.reviews().toString()));
            VectorsJob.run(new VectorsJob.Options(FetchVectors.glove(o.samples()).toString(), "glove", vectors.toString(),
                    o.settings().vectorsMaxWords(), List.of(corpus), true), sc);
        }
        String chars = dir.resolve("data").toString();
        String words = dir.resolve("data-words").toString();
        new ClassificationPrep(sc).run(o.prep().options(o.config(), samples.sentences().toString(), chars, lm.toString()));
        new ClassificationPrep(sc).run(o.prep().options(o.cnnConfig(), samples.sentences().toString(), words, vectors.toString()));

        List<Candidates.Trained> trained = new java.util.ArrayList<>(List.of(
                Candidates.network(sc, "glove-cnn", o.cnnConfig(), words, dir.resolve("glove-cnn"), vectors.toString(), true),
                Candidates.network(sc, "finetuned", o.config(), chars, dir.resolve("finetuned"),
                        adaptLanguageModel(o, sc, lm, chars, dir).toString(), true),
                Candidates.network(sc, "scratch", o.config(), chars, dir.resolve("scratch"), null, true)));
        if (o.settings().transformer()) {
            trained.add(transformer(o, sc, lm, chars, samples.sentences().toString(), dir));
        }
        trained.add(Candidates.baseline(sc, "baseline", chars, dir.resolve("baseline")));
        List<ModelComparison.Candidate> candidates = trained.stream().map(Candidates.Trained::candidate).toList();
        Map<String, Candidates.Trained> training = new LinkedHashMap<>();
        trained.forEach(t -> training.put(t.candidate().name(), t));

        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> docs = spark.read().parquet(HadoopFiles.qualify(chars, sc.hadoopConfiguration()) + "/" + ClassificationPrep.DOCS_DIR);
        Reading sentences = Reading.firstWindow(o.reading().batchSize());
        Map<String, ModelComparison.Result> validation = ModelComparison.run(docs.filter(col("split").equalTo(Splits.VALIDATION)),
                candidates, null, sentences, sc);
        String champion = ModelComparison.best(validation);
        Map<String, ModelComparison.Result> test = ModelComparison.run(docs.filter(col("split").equalTo(Splits.TEST)), candidates,
                champion, sentences, sc);
        Map<String, ModelComparison.Result> reviews = ModelComparison.run(labelledReviews(spark, samples.reviews().toString()),
                candidates, champion, o.reading(), sc);
        double unknown = TokenCoverage.unknownShare(docs.filter(col("split").equalTo(Splits.TRAIN)).select("text"),
                ModelBundle.load(vectors).requireTokenizer());
        Map<String, Object> comparison = comparison(champion, validation, test, reviews, training, o.reading(), unknown);
        Json.writeFile(dir.resolve(COMPARISON_FILE), comparison);
        LOG.info("champion: {} (validation accuracy {})", champion, validation.get(champion).accuracy());

        String input = dir.resolve("score-input").toString();
        syntheticTimeline(spark, samples.reviews().toString(), input);
        String championModel = candidates.stream().filter(c -> c.name().equals(champion)).findFirst().orElseThrow().model();
        ScoreJob.Result scoring = ScoreJob.run(o.scoreOpts().options(championModel, input, dir.resolve("scores").toString()), sc);
        return new Result(champion, comparison, test, scoring, (System.nanoTime() - t0) / 60e9);
    }

    /**
     * The classifier fine-tuned from the Transformer language model (pretrained first when missing), on the sentences as
     * its tokenizer encodes them: the char-LSTM's data when the two tokenizers are the same, else prepared again (the
     * same splits).
     */
    private static Candidates.Trained transformer(Options o, JavaSparkContext sc, Path lm, String chars, String sentences, Path dir) {
        Path tlm = TextDemo.dir(o.workdir(), o.transformer().lmConfig()).resolve(TrainJob.MODEL_DIR);
        if (!Files.isRegularFile(tlm.resolve(ModelBundle.MODEL_FILE))) {
            LOG.info("no Transformer language model in {}: running the text demo with it first", tlm);
            o.transformer().textDemo().apply(sc);
        }
        String data = chars;
        if (!Tokenizer.load(tlm).equals(Tokenizer.load(lm))) {
            data = dir.resolve("data-transformer").toString();
            new ClassificationPrep(sc).run(o.prep().options(o.transformer().classifier(), sentences, data, tlm.toString()));
        }
        return Candidates.network(sc, "transformer", o.transformer().classifier(), data, dir.resolve("transformer"), tlm.toString(), true);
    }

    /** What comparison.json holds: the champion and why, then every candidate on validation, test and the reviews. */
    private static Map<String, Object> comparison(String champion, Map<String, ModelComparison.Result> validation,
                                                  Map<String, ModelComparison.Result> test, Map<String, ModelComparison.Result> reviews,
                                                  Map<String, Candidates.Trained> training, Reading reading, double unknown) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("champion", champion);
        c.put("chosen_by", "validation accuracy (ties: the first listed); it scores the review corpus");
        c.put("why", why(champion, validation, unknown));
        c.put("validation", validation);
        c.put("test", test);
        c.put("reviews", reviews);
        c.put("reviews_reading", Map.of("long_documents", reading.longDocuments().id(), "max_windows", reading.maxWindows()));
        c.put("training", training);
        c.put("glove_unknown_token_share", unknown);
        c.put("notes", List.of(
                "Every model is read from the same documents' text, as nightjar score reads it; a model that cannot score a "
                        + "document is wrong on it.",
                "low/high: 95% Wilson interval of the accuracy. vs_reference: the paired difference with the champion on the "
                        + "same documents and McNemar's exact two-sided p; p >= 0.05 is a tie at this test set's size.",
                "reviews: the 1,500 labelled movie reviews (label as id), read whole; each candidate was trained on sentences."));
        return c;
    }

    /** The champion's margin on validation over the runner-up, and how much of the corpus GloVe covers, in words. */
    static String why(String champion, Map<String, ModelComparison.Result> validation, double unknown) {
        ModelComparison.Result best = validation.get(champion);
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "%s validated best: %d of %d sentences (%.4f)",
                champion, best.correct(), best.documents(), best.accuracy()));
        validation.entrySet().stream().filter(e -> !e.getKey().equals(champion))
                .max(java.util.Comparator.comparingDouble(e -> e.getValue().accuracy()))
                .ifPresent(e -> b.append(String.format(java.util.Locale.ROOT, "; the runner-up, %s, %d (%.4f), %d sentence(s) fewer",
                        e.getKey(), e.getValue().correct(), e.getValue().accuracy(), best.correct() - e.getValue().correct())));
        b.append(String.format(java.util.Locale.ROOT, ". GloVe does not know %.1f%% of the train split's words", 100 * unknown));
        b.append(best.correct() - validation.values().stream().filter(r -> r != best).mapToLong(ModelComparison.Result::correct).max().orElse(0)
                < 2 * Math.sqrt(best.documents() * best.accuracy() * (1 - best.accuracy()))
                ? "; a margin within the validation split's noise (2 standard errors): the test split's McNemar p says whether the "
                + "candidates differ." : ".");
        return b.toString();
    }

    /** The review corpus (label, text; no header) as labelled documents. */
    static Dataset<Row> labelledReviews(SparkSession spark, String reviewsCsv) {
        return spark.read().option("multiLine", true).option("escape", "\"").csv(reviewsCsv).toDF("label", "text");
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
                .filter(col("split").equalTo(Splits.TRAIN)).select("text")
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

    /**
     * The review corpus (label, text; no header) as a scoring input with a header: id, time, source,
     * text. Every value is a deterministic function of the review's text; see {@link #SYNTHETIC_NOTES}.
     */
    static void syntheticTimeline(SparkSession spark, String reviewsCsv, String output) {
        Dataset<Row> reviews = labelledReviews(spark, reviewsCsv);
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
