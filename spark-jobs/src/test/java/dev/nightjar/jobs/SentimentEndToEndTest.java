package dev.nightjar.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import dev.nightjar.eval.ModelComparison;
import dev.nightjar.score.Reading;
import dev.nightjar.config.Configs;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.jobs.ScoreJob;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Network;
import dev.nightjar.model.TextClassifierConfig;
import dev.nightjar.model.TextClassifiers;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.text.ClassifierInput;
import dev.nightjar.text.TextCleaner;
import dev.nightjar.util.Json;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sentiment path on a corpus whose labels can be learned for sure (positive reviews use one
 * set of words, negative ones another) plus rows that must be dropped: prepare (classification) →
 * train from scratch and fine-tune from a language model on local[2] → evaluate → score a messy CSV.
 */
class SentimentEndToEndTest {
    private static final List<String> GOOD = List.of("sunny", "bright", "happy", "joyful", "warm");
    private static final List<String> BAD = List.of("gloomy", "dark", "sad", "grim", "cold");

    @TempDir
    static Path tmp;
    static String data;
    static ClassificationPrep.Result prep;

    private static Config config(String... extra) {
        List<String> sets = new ArrayList<>(List.of("model.learning-rate=0.01", "model.l2=0", "model.lm.embedding-size=8",
                "model.lm.lstm-sizes=[24]", "model.classifier.dense-units=16", "model.classifier.dropout=0",
                "train.workers=2", "train.averaging-frequency=2", "train.epochs=3"));
        sets.addAll(List.of(extra));
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(sets));
    }

    private static String review(Random r, List<String> words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = 3 + r.nextInt(6); i < n; i++) {
            b.append(i == 0 ? "" : " ").append(words.get(r.nextInt(words.size())));
        }
        return b.toString();
    }

    @BeforeAll
    static void prepare() throws Exception {
        Random r = new Random(3);
        List<String> lines = new ArrayList<>(List.of("review,stars"));
        for (int i = 0; i < 600; i++) {
            boolean good = i % 3 != 0; // 400 positive, 200 negative: stratification has something to keep
            lines.add("\"" + review(r, good ? GOOD : BAD) + " " + i + "\"," + (good ? "pos" : "neg"));
        }
        lines.addAll(List.of("\"no label\",", "\"unknown label\",meh", ",pos", "\"   \",neg", "\"too\",\"many\",fields"));
        Path csv = tmp.resolve("reviews.csv");
        Files.write(csv, lines);
        data = tmp.resolve("data").toString();
        prep = new ClassificationPrep(SharedSpark.get()).run(new ClassificationPrep.Options(
                new TextInput("csv", "review", List.of(csv.toString())), "stars", List.of("neg", "pos"), data, "char", null,
                64, 16, 0.1, 0.2, 42, 1, 100, false, 0, 0, false));
    }

    @Test
    void preparationCountsEveryDroppedRowAndStratifiesTheSplits() throws Exception {
        ClassificationPrep.Report report = prep.report();
        assertEquals(605, report.documents().read());
        assertEquals(600, report.documents().kept());
        assertEquals(Map.of("missing_label", 1L, "unknown_label", 1L, "missing_text", 1L, "empty", 1L, "malformed_row", 1L),
                report.documents().droppedByReason());
        assertEquals(new LabelMap(List.of("neg", "pos")), prep.labels());
        assertEquals(prep.labels(), LabelMap.load(Path.of(data)), "labels.json");
        // 200 neg / 400 pos: each split keeps the 1:2 ratio (quantiles per label, within one document)
        Map<String, Long> test = report.splits().get("test").byLabel();
        assertEquals(40, test.get("neg"), 1);
        assertEquals(80, test.get("pos"), 1);
        Map<String, Long> val = report.splits().get("validation").byLabel();
        assertEquals(20, val.get("neg"), 1);
        assertEquals(40, val.get("pos"), 1);
        long total = report.splits().values().stream().mapToLong(ClassificationPrep.SplitReport::documents).sum();
        assertEquals(600, total);
    }

    @Test
    void jsonlWithOtherColumnNamesPreparesTheSameWay() throws Exception {
        Random r = new Random(5);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean good = i % 2 == 0;
            lines.add("{\"nr\": " + i + ", \"bewertung\": \"" + (good ? "positiv" : "negativ") + "\", \"rezension\": \""
                    + review(r, good ? GOOD : BAD) + "\"}");
        }
        lines.add("{\"nr\": 99, \"rezension\": \"ohne Bewertung\"}");
        lines.add("{not json");
        Path jsonl = tmp.resolve("rezensionen.jsonl");
        Files.write(jsonl, lines);
        ClassificationPrep.Result de = new ClassificationPrep(SharedSpark.get()).run(new ClassificationPrep.Options(
                new TextInput("jsonl", "rezension", List.of(jsonl.toString())), "bewertung", null, tmp.resolve("de").toString(), null,
                tmp.resolve("data").toString(), 64, 16, 0.1, 0.1, 42, 1, 100, false, 0, 0, false));
        assertEquals(List.of("negativ", "positiv"), de.labels().labels(), "labels found, sorted");
        assertEquals(40, de.report().documents().kept());
        assertEquals(Map.of("missing_label", 1L, "malformed_row", 1L), de.report().documents().droppedByReason());
        assertEquals(prep.tokenizer(), de.tokenizer(), "the tokenizer is reused unchanged");
    }

    @Test
    void aClassifierTrainedFromScratchLearnsTheLabels() {
        Path run = tmp.resolve("scratch");
        TrainJob.run(new TrainJob.Options(config(), data, run.toString(), false), SharedSpark.get());
        ClassificationMetrics m = EvaluateJob.classification(new EvaluateJob.Options(run.resolve(TrainJob.MODEL_DIR).toString(), data, "test",
                run.resolve("eval").toString(), 0), SharedSpark.get());
        assertTrue(m.accuracy() >= 0.95, "test accuracy " + m.accuracy());
        assertTrue(m.rocAuc() >= 0.97, "ROC-AUC " + m.rocAuc());
        assertEquals(m.examples(), java.util.Arrays.stream(m.confusionMatrix()).flatMapToLong(java.util.Arrays::stream).sum());
    }

    @Test
    void aRunDirectoryWithCheckpointsResumesAndFreshNeedsForce() throws Exception {
        Config c = config("train.epochs=1", "train.checkpoint-every=1", "train.checkpoint-keep=2");
        Path run = tmp.resolve("resumable");
        TrainJob.Result first = TrainJob.run(new TrainJob.Options(c, data, run.toString(), false), SharedSpark.get());
        long seen = first.segments().get(first.segments().size() - 1).examplesSeen();
        dev.nightjar.storage.Checkpoints ckpts = new dev.nightjar.storage.Checkpoints(run.toString(), SharedSpark.get().hadoopConfiguration(), 2);
        assertEquals(2, ckpts.list().size(), "the newest 2 are kept");
        dev.nightjar.storage.Checkpoints.Cursor last = ckpts.latestValid().cursor();
        assertEquals(List.of(1, 0, seen, 42L), List.of(last.epoch(), last.segment(), last.examplesSeen(), last.seed()),
                "the last checkpoint points past the last epoch");

        dev.nightjar.UserException refused = org.junit.jupiter.api.Assertions.assertThrows(dev.nightjar.UserException.class,
                () -> TrainJob.run(new TrainJob.Options(c, data, run.toString(), true, null, true, false), SharedSpark.get()));
        assertTrue(refused.getMessage().contains("--force"), refused.getMessage());

        // killed after its last checkpoint, before the model was written: the same command resumes and finishes
        dev.nightjar.util.AtomicFiles.deleteRecursively(run.resolve(TrainJob.MODEL_DIR));
        TrainJob.Result resumed = TrainJob.run(new TrainJob.Options(c, data, run.toString(), false), SharedSpark.get());
        assertTrue(resumed.segments().isEmpty(), "nothing left to train");
        assertEquals(first.bundle().network().params(), ModelBundle.load(run.resolve(TrainJob.MODEL_DIR)).network().params());
        List<String> log = Files.readAllLines(run.resolve(dev.nightjar.train.MetricsLog.FILE));
        assertTrue(log.get(log.size() - 1).contains("\"resumed_from\""), "metrics.jsonl is appended and marks the resume");
        assertEquals(first.segments().size() + 1, log.size());
    }

    @Test
    void theBestEpochValidatedBeforeAResumeIsStillKeptAfterIt() throws Exception {
        Config c = config("train.epochs=2", "train.keep-best=true", "train.checkpoint-every=1", "train.checkpoint-keep=100");
        Path run = tmp.resolve("best-resume");
        TrainJob.run(new TrainJob.Options(c, data, run.toString(), false), SharedSpark.get());
        dev.nightjar.storage.Checkpoints ckpts = new dev.nightjar.storage.Checkpoints(run.toString(), SharedSpark.get().hadoopConfiguration(), 100);
        assertTrue(ckpts.readBest() != null, "keep-best writes the best epoch's weights beside the checkpoints");

        // killed early in epoch 2: the checkpoints after epoch 1's end are gone, and the best so far is epoch 1,
        // here with a validation accuracy that epoch 2 cannot beat
        String endOfEpoch1 = dev.nightjar.storage.Checkpoints.name(1, 0);
        for (String d : ckpts.list()) {
            if (new org.apache.hadoop.fs.Path(d).getName().compareTo(endOfEpoch1) > 0) {
                dev.nightjar.util.AtomicFiles.deleteRecursively(Path.of(java.net.URI.create(d).getPath()));
            }
        }
        dev.nightjar.util.AtomicFiles.deleteRecursively(run.resolve(TrainJob.MODEL_DIR));
        Network epoch1 = ckpts.latestValid().network();
        Map<String, Double> unbeatable = new java.util.LinkedHashMap<>(Map.of("accuracy", 1.0));
        ckpts.writeBest(epoch1, 0, unbeatable);

        TrainJob.Result resumed = TrainJob.run(new TrainJob.Options(c, data, run.toString(), false), SharedSpark.get());
        assertEquals(1, resumed.segments().stream().map(dev.nightjar.train.SegmentMetrics::epoch).distinct().count(), "only epoch 2 was trained");
        ModelBundle kept = ModelBundle.load(run.resolve(TrainJob.MODEL_DIR));
        assertEquals(epoch1.params(), kept.network().params(), "the weights of epoch 1, validated before the resume");
        JsonNode training = Json.MAPPER.readTree(run.resolve(TrainJob.MODEL_DIR).resolve(ModelBundle.PROVENANCE_FILE).toFile()).get("training");
        assertEquals(1, training.get("kept_epoch").asInt());
    }

    /**
     * The model-family seam carries a {@code ComputationGraph} (the text CNN, two convolution
     * widths merged) through everything a layer stack goes through: Spark training with two
     * workers, a kill after a checkpoint and a resume to the same weights, the bundle, evaluate
     * and score.
     */
    @Test
    void aComputationGraphFamilyTrainsResumesEvaluatesAndScores() throws Exception {
        Config c = config("model.family=text-cnn", "model.text-cnn.embedding-size=8", "model.text-cnn.filters=8",
                "model.text-cnn.filter-widths=[2,3]", "model.text-cnn.dropout=0", "train.epochs=2", "train.checkpoint-every=1",
                "train.checkpoint-keep=100");
        Path straight = tmp.resolve("cnn-straight");
        TrainJob.Result uninterrupted = TrainJob.run(new TrainJob.Options(c, data, straight.toString(), false), SharedSpark.get());
        assertTrue(uninterrupted.bundle().network().isGraph());

        // the same run killed after its checkpoint at the end of segment 1: what came after it is lost
        Path run = tmp.resolve("cnn-killed");
        TrainJob.run(new TrainJob.Options(c, data, run.toString(), false), SharedSpark.get());
        dev.nightjar.storage.Checkpoints ckpts = new dev.nightjar.storage.Checkpoints(run.toString(), SharedSpark.get().hadoopConfiguration(), 100);
        String kept = dev.nightjar.storage.Checkpoints.name(0, 1);
        assertTrue(ckpts.list().size() > 2, "a checkpoint after every segment: " + ckpts.list());
        for (String d : ckpts.list()) {
            if (new org.apache.hadoop.fs.Path(d).getName().compareTo(kept) > 0) {
                dev.nightjar.util.AtomicFiles.deleteRecursively(Path.of(java.net.URI.create(d).getPath()));
            }
        }
        dev.nightjar.util.AtomicFiles.deleteRecursively(run.resolve(TrainJob.MODEL_DIR));
        TrainJob.Result resumed = TrainJob.run(new TrainJob.Options(c, data, run.toString(), false), SharedSpark.get());
        assertEquals(0, resumed.segments().get(0).epoch(), "the resume starts in epoch 1");
        assertEquals(1, resumed.segments().get(0).segment(), "at the segment after the checkpoint");
        double maxDiff = Transforms.abs(uninterrupted.bundle().network().params().sub(resumed.bundle().network().params()))
                .maxNumber().doubleValue();
        assertTrue(maxDiff < 1e-6, "resumed weights differ from the uninterrupted run's by " + maxDiff);

        ModelBundle bundle = ModelBundle.load(run.resolve(TrainJob.MODEL_DIR));
        assertTrue(bundle.network().isGraph(), "the bundle holds a ComputationGraph");
        assertEquals("text-cnn", bundle.kind());
        assertEquals(resumed.bundle().network().params(), bundle.network().params());

        ClassificationMetrics m = EvaluateJob.classification(new EvaluateJob.Options(run.resolve(TrainJob.MODEL_DIR).toString(), data, "test",
                tmp.resolve("cnn-eval").toString(), 0), SharedSpark.get());
        assertTrue(m.accuracy() >= 0.95, "text CNN test accuracy " + m.accuracy());

        Path csv = tmp.resolve("cnn-score.csv");
        Files.writeString(csv, "id,text\n1,sunny bright happy\n2,gloomy dark sad\n3,warm joyful\n4,cold grim\n");
        Path out = tmp.resolve("cnn-scored");
        ScoreJob.run(new ScoreJob.Options(run.resolve(TrainJob.MODEL_DIR).toString(), List.of(csv.toString()), "csv", "id", "text",
                null, null, out.toString(), "day", new Reading(4, 2, ClassifierInput.LongDocuments.WINDOWS), "", 3, 2.0, 1, List.of("test data"), false), SharedSpark.get());
        SparkSession spark = SparkSession.builder().sparkContext(SharedSpark.get().sc()).getOrCreate();
        Map<String, String> predicted = new TreeMap<>();
        for (Row r : spark.read().parquet(out.resolve(ScoreJob.SCORES).toString()).collectAsList()) {
            predicted.put(r.getAs("id"), r.getAs("label"));
        }
        assertEquals(Map.of("1", "pos", "2", "neg", "3", "pos", "4", "neg"), predicted);
    }

    @Test
    void theBaselineWritesTheSameSchemaAsEvaluate() throws Exception {
        Path out = tmp.resolve("baseline");
        BaselineJob.Result r = BaselineJob.run(new BaselineJob.Options(data, "test", out), SharedSpark.get());
        assertTrue(r.metrics().accuracy() >= 0.95, "baseline test accuracy " + r.metrics().accuracy());
        assertEquals(prep.report().splits().get("test").documents(), r.metrics().examples(), "the dataset's own test split");
        assertEquals(BaselineJob.REG_PARAMS.length, r.validationAccuracy().size());
        JsonNode baseline = Json.MAPPER.readTree(out.resolve(EvaluateJob.METRICS_FILE).toFile());
        java.util.Set<String> keys = new java.util.TreeSet<>();
        baseline.fieldNames().forEachRemaining(keys::add);
        java.util.Set<String> expected = new java.util.TreeSet<>();
        Json.MAPPER.valueToTree(r.metrics()).fieldNames().forEachRemaining(expected::add);
        assertEquals(expected, keys);
        assertTrue(keys.containsAll(List.of("accuracy", "macro_f1", "roc_auc", "per_class", "confusion_matrix")), keys.toString());
    }

    @Test
    void theBaselinePipelineScoresAndIsComparedLikeANetwork() throws Exception {
        Path base = tmp.resolve("baseline-bundle");
        BaselineJob.Result baseline = BaselineJob.run(new BaselineJob.Options(data, "test", base), SharedSpark.get());
        String pipeline = base.resolve(BaselineJob.MODEL_DIR).toString();
        Path run = tmp.resolve("compared");
        TrainJob.run(new TrainJob.Options(config("train.epochs=1"), data, run.toString(), false), SharedSpark.get());
        String network = run.resolve(TrainJob.MODEL_DIR).toString();
        ClassificationMetrics evaluated = EvaluateJob.classification(new EvaluateJob.Options(network, data, "test",
                run.resolve("eval").toString(), 0), SharedSpark.get());

        // score: the pipeline bundle scores a corpus into the same schema, rejecting what a network rejects
        Path csv = tmp.resolve("for-baseline.csv");
        Files.writeString(csv, "id,text\n1,\"sunny bright happy\"\n2,\"gloomy dark sad\"\n3,\"   \"\n,\"no id\"\n");
        Path out = tmp.resolve("baseline-scores");
        ScoreJob.Result r = ScoreJob.run(new ScoreJob.Options(pipeline, List.of(csv.toString()), "csv", "id", "text", null, null,
                out.toString(), "day", Reading.firstWindow(8), "", 3, 2.0, 1, List.of(), false), SharedSpark.get());
        assertEquals(2, r.scored());
        assertEquals(Map.of("empty_text", 1L, "missing_id", 1L), r.rejectedByReason());
        SparkSession spark = SparkSession.builder().sparkContext(SharedSpark.get().sc()).getOrCreate();
        Dataset<Row> scores = spark.read().parquet(out.resolve(ScoreJob.SCORES).toString());
        assertEquals("pos", scores.filter("id = '1'").first().getString(3));
        assertEquals("neg", scores.filter("id = '2'").first().getString(3));
        Map<String, Double> probs = scores.filter("id = '1'").first().getJavaMap(5);
        assertEquals(1.0, probs.get("neg") + probs.get("pos"), 1e-9);
        assertEquals(1, scores.filter("id = '1'").first().getInt(7), "the pipeline reads a document whole");

        // compare: both read from the test split's text; each agrees with its own job's test accuracy
        Dataset<Row> test = spark.read().parquet(data + "/" + ClassificationPrep.DOCS_DIR).filter("split = 'test'");
        List<ModelComparison.Candidate> candidates = List.of(new ModelComparison.Candidate("network", network),
                new ModelComparison.Candidate("baseline", pipeline), new ModelComparison.Candidate("baseline-again", pipeline));
        Map<String, ModelComparison.Result> c = ModelComparison.run(test, candidates, "baseline", Reading.firstWindow(16), SharedSpark.get());
        assertEquals(evaluated.accuracy(), c.get("network").accuracy(), 1e-9, "a network: evaluate's accuracy");
        assertEquals(baseline.metrics().accuracy(), c.get("baseline").accuracy(), 1e-9, "the pipeline: the baseline job's accuracy");
        assertEquals(evaluated.examples(), c.get("network").documents());
        ModelComparison.Paired twin = c.get("baseline-again").vsReference();
        assertEquals(0, twin.onlyReference() + twin.onlyThis(), "the same pipeline twice disagrees nowhere");
        assertEquals(1.0, twin.mcnemarP());
        assertNull(c.get("baseline").vsReference(), "the reference is not paired with itself");
        ModelComparison.Paired net = c.get("network").vsReference();
        assertEquals(c.get("network").correct() - c.get("baseline").correct(), net.onlyThis() - net.onlyReference(),
                "the discordant pairs account for the difference in correct documents");
        assertTrue(c.get("network").low() <= c.get("network").accuracy() && c.get("network").accuracy() <= c.get("network").high());
    }

    @Test
    void aFrozenEncoderIsUnchangedByDistributedTraining() {
        Config c = config("model.classifier.finetune=head", "train.epochs=1");
        MultiLayerNetwork lm = TextClassifiers.freshEncoder(TextClassifierConfig.from(config("seed=9")), prep.tokenizer().size(), 1);
        Path lmDir = tmp.resolve("lm");
        new ModelBundle(lm, null, prep.tokenizer(), Map.of("kind", "language-model")).save(lmDir);
        Path run = tmp.resolve("head");
        ModelBundle trained = TrainJob.run(new TrainJob.Options(c, data, run.toString(), false, lmDir.toString()), SharedSpark.get()).bundle();
        ModelBundle saved = ModelBundle.load(run.resolve(TrainJob.MODEL_DIR));
        for (int i = 0; i < 2; i++) {
            assertEquals(lm.getLayer(i).params(), saved.network().multiLayer().getLayer(i).params(), "encoder layer " + i);
        }
        assertEquals(0, TextClassifiers.frozenLayers(saved.network().multiLayer()), "the bundle is saved without frozen wrappers");
        assertEquals(trained.network().params(), saved.network().params());
        assertEquals("head", saved.provenance().get("finetune"));
    }

    @Test
    void aJsonlLineThatIsNotJsonIsRejectedAloneAndA4MbLineIsScored() throws Exception {
        Path run = tmp.resolve("for-jsonl");
        TrainJob.run(new TrainJob.Options(config("train.epochs=1"), data, run.toString(), false), SharedSpark.get());
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(String.join("\n",
                "{\"id\": \"j1\", \"text\": \"sunny bright\", \"time\": 1767960000000, \"source\": \"news\"}",
                "{\"id\": \"j2\", \"text\": \"unterminated, \"time\": 1767960000000, \"source\": \"news\"}",
                "{\"id\": \"j3\", \"text\": \"read as itself\", \"time\": 1767960000000, \"source\": \"news\"}",
                "",
                "{\"id\": \"j4\", \"text\": \"" + "sunny ".repeat((4 << 20) / 6) + "\", \"time\": 1767960000000, \"source\": \"news\"}",
                "{\"id\": \"j5\", \"text\": \"gloomy\", \"time\": \"2026-01-05\", \"source\": \"news\"}",
                "{\"id\": \"j6\", \"text\": \"bad ").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        b.write(0xFF);
        b.write(" byte\", \"time\": 1767960000000, \"source\": \"news\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path jsonl = Files.write(tmp.resolve("messy.jsonl"), b.toByteArray());
        Path out = tmp.resolve("scored-jsonl");
        ScoreJob.Result r = ScoreJob.run(new ScoreJob.Options(run.resolve(TrainJob.MODEL_DIR).toString(), List.of(jsonl.toString()), "jsonl", "id",
                "text", "time", "epoch-ms", "source", out.toString(), "day", new Reading(4, 2, ClassifierInput.LongDocuments.WINDOWS), "", 3, 2.0, 1,
                List.of(), false), SharedSpark.get());

        SparkSession spark = SparkSession.builder().sparkContext(SharedSpark.get().sc()).getOrCreate();
        assertEquals(List.of("j1", "j3", "j4"), spark.read().parquet(out.resolve(ScoreJob.SCORES).toString()).select("id").orderBy("id")
                .collectAsList().stream().map(x -> x.getString(0)).toList());
        // the unterminated string and the invalid byte make lines Spark's JSON reader cannot read; the ISO date is no epoch-ms time
        assertEquals(Map.of("malformed_row", 2L, "bad_time", 1L), r.rejectedByReason());
        assertEquals(new dev.nightjar.data.text.TextSources.InputCount(7L, 1L, 0L, 6L, 0L, 1), r.input());
        JsonNode summary = Json.MAPPER.readTree(out.resolve(ScoreJob.SUMMARY_FILE).toFile());
        assertEquals(1, summary.get("invalid_utf8").asLong());
        assertEquals("epoch-ms", summary.get("time_format").asText());
    }

    @Test
    void everyRowOfAMessyCsvIsScoredOrRejected() throws Exception {
        Path run = tmp.resolve("for-scoring");
        TrainJob.run(new TrainJob.Options(config("train.epochs=1"), data, run.toString(), false), SharedSpark.get());
        Path csv = tmp.resolve("messy.csv");
        Files.writeString(csv, String.join("\n",
                "id,text,time,source",
                "1,\"sunny bright\",2026-01-01T10:00:00Z,news",
                "2,\"gloomy \"\"dark\"\" day\",2026-01-02T10:00:00Z,blog",
                "3,,2026-01-03T10:00:00Z,news",
                "4,\"warm\",not-a-time,news",
                "5,\"too many\",2026-01-04T10:00:00Z,news,extra",
                "6,\"too few\"",
                "7,\"quoted\" junk after,2026-01-05T10:00:00Z,news",
                "8,\"multi",
                "line text\",2026-01-06 10:00:00,blog",
                "9,\"unterminated quote,2026-01-07T10:00:00Z,news",
                "10,\"swallowed by the quote above\",2026-01-08T10:00:00Z,news",
                ",\"no id\",2026-01-08T10:00:00Z,news",
                "12,\"   \",2026-01-08T10:00:00Z,news",
                "13,\"cold grim\",2026-01-09,blog",
                "14,\"happy\",1767960000,news",
                "15,\"bright\",2026-01-10T10:00:00Z,",
                "16,\"dark\",2026-01-10T11:00:00Z,all",
                "17,\"" + "sunny ".repeat(30) + "\",2026-01-11T10:00:00Z,news",
                "18,\"" + "gloomy ".repeat(10) + "\",2026-01-11T11:00:00Z,news",
                "19,\"warm\",20260105,news",
                "20,\"bright\",1767960000000,news") + "\n");
        Path out = tmp.resolve("scored");
        ScoreJob.Result r = ScoreJob.run(new ScoreJob.Options(run.resolve(TrainJob.MODEL_DIR).toString(), List.of(csv.toString()), "csv", "id", "text",
                "time", "source", out.toString(), "day", new Reading(4, 2, ClassifierInput.LongDocuments.WINDOWS), "", 3, 2.0, 1, List.of("test data"), false), SharedSpark.get());

        SparkSession spark = SparkSession.builder().sparkContext(SharedSpark.get().sc()).getOrCreate();
        Dataset<Row> scores = spark.read().parquet(out.resolve(ScoreJob.SCORES).toString());
        Dataset<Row> rejects = spark.read().parquet(out.resolve(ScoreJob.REJECTS).toString());
        // 20 rows on 22 lines (a header, row 8 on two); row 9's quote never closes: row 9 alone is malformed, row 10 is read as itself
        assertEquals(20, scores.count() + rejects.count(), "every input row is scored or rejected");
        assertEquals(20, r.rows());
        assertEquals(new dev.nightjar.data.text.TextSources.InputCount(22L, 0L, 1L, 21L, 0L, 0), r.input(), "counted apart from the reader");
        Map<String, Long> reasons = new TreeMap<>();
        rejects.groupBy("reason").count().collectAsList().forEach(row -> reasons.put(row.getString(0), row.getLong(1)));
        assertEquals(Map.of("ambiguous_time", 1L, "bad_time", 1L, "empty_text", 1L, "malformed_row", 3L, "missing_id", 1L, "missing_text", 1L), reasons);
        assertEquals("20260105", rejects.filter("reason = 'ambiguous_time'").first().getString(4), "a compact date is no epoch time in 1970");
        assertEquals(reasons, r.rejectedByReason());
        assertEquals("9,\"unterminated quote,2026-01-07T10:00:00Z,news", rejects.filter("id is null and reason = 'malformed_row' and raw_record like '9,%'")
                .first().getString(5), "the malformed row is its own line");
        assertEquals(List.of("1", "10", "13", "14", "15", "16", "17", "18", "2", "20", "7", "8"),
                scores.select("id").orderBy("id").collectAsList().stream().map(x -> x.getString(0)).toList());
        assertEquals(ScoreJob.NO_GROUP, scores.filter("id = '15'").first().getString(2), "an empty group is kept apart");
        assertEquals("all", scores.filter("id = '16'").first().getString(2), "from a real group named all");

        StructType expected = new StructType()
                .add("id", "string").add("time", "timestamp").add("group", "string").add("label", "string")
                .add("confidence", "double").add("probabilities", "map<string,double>").add("positive_probability", "double")
                .add("windows", "int").add("truncated", "boolean").add("model_name", "string").add("model_version", "string").add("scored_at", "timestamp");
        assertEquals(expected.simpleString(), scores.schema().simpleString());
        Row first = scores.filter("id = '1'").first();
        assertEquals("news", first.getString(2));
        assertEquals(java.sql.Timestamp.from(java.time.Instant.parse("2026-01-01T10:00:00Z")), first.getTimestamp(1));
        Map<String, Double> probs = first.getJavaMap(5);
        assertEquals(1.0, probs.get("neg") + probs.get("pos"), 1e-6);
        assertEquals(probs.get("pos"), first.getDouble(6), 1e-9, "positive = the last label");
        assertEquals(java.sql.Timestamp.from(java.time.Instant.parse("2026-01-09T12:00:00Z")),
                scores.filter("id = '14'").first().getTimestamp(1), "epoch seconds");
        assertEquals(java.sql.Timestamp.from(java.time.Instant.parse("2026-01-09T12:00:00Z")),
                scores.filter("id = '20'").first().getTimestamp(1), "epoch milliseconds");
        assertEquals(1, first.getInt(7), "a short document is one window");
        assertFalse(first.getBoolean(8));

        // the test model reads 64 ids (63 characters after the end marker) at once; at most 2 windows were asked for
        ModelBundle bundle = ModelBundle.load(run.resolve(TrainJob.MODEL_DIR));
        assertEquals(64, ((Number) bundle.provenance().get("max_len")).intValue());
        Row longest = scores.filter("id = '17'").first();
        assertEquals(2, longest.getInt(7), "179 characters: 3 windows, 2 read");
        assertTrue(longest.getBoolean(8), "the rest is said to be unread");
        Row two = scores.filter("id = '18'").first();
        assertEquals(2, two.getInt(7), "69 characters: 2 windows");
        assertFalse(two.getBoolean(8));
        double mean = 0;
        for (int[] window : ClassifierInput.windows(TextCleaner.clean("gloomy ".repeat(10)), bundle.requireTokenizer(), 64, 2).windows()) {
            org.nd4j.linalg.api.ndarray.INDArray[] x = ClassifierInput.features(List.of(window));
            mean += bundle.network().output(x[0], x[1]).getDouble(0, 1) / 2;
        }
        assertEquals(mean, two.getDouble(6), 1e-5, "a long document's probability is the mean over its windows");
        JsonNode summary = Json.MAPPER.readTree(out.resolve(ScoreJob.SUMMARY_FILE).toFile());
        assertEquals(1, summary.get("truncated").asLong());
        assertEquals(2, summary.get("max_windows").asInt());
        assertEquals(22, summary.get("input_lines").asLong());
        assertEquals(0, summary.get("unaccounted_lines").asLong());

        assertTrue(Files.isDirectory(out.resolve(ScoreJob.TRENDS)));
        JsonNode alerts = Json.MAPPER.readTree(out.resolve(ScoreJob.ALERTS_FILE).toFile());
        assertTrue(alerts.get("alerts").isArray());
        String html = Files.readString(out.resolve(ScoreJob.REPORT_FILE));
        assertTrue(html.contains("test data") && html.contains("data:image/png;base64,"));
        assertTrue(Files.isRegularFile(out.resolve(ScoreJob.SUMMARY_FILE)));

        Path wrong = tmp.resolve("wrong-column");
        dev.nightjar.UserException e = org.junit.jupiter.api.Assertions.assertThrows(dev.nightjar.UserException.class,
                () -> ScoreJob.run(new ScoreJob.Options(run.resolve(TrainJob.MODEL_DIR).toString(), List.of(csv.toString()), "csv", "id", "body",
                        "time", "source", wrong.toString(), "day", new Reading(4, 2, ClassifierInput.LongDocuments.WINDOWS), "", 3, 2.0, 1, List.of(), false), SharedSpark.get()));
        assertTrue(e.getMessage().contains("'body'") && e.getMessage().contains("[id, text, time, source]"), e.getMessage());
        assertTrue(Files.notExists(wrong), "nothing is written when a column is missing");
    }
}
