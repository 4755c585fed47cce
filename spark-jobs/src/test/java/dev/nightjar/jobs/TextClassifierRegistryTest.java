package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.cli.NightjarCliTest;
import dev.nightjar.config.Configs;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.family.DatasetInfo;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.SetupContext;
import dev.nightjar.model.family.TrainingSetup;
import dev.nightjar.score.PipelineClassifier;
import dev.nightjar.score.Reading;
import dev.nightjar.storage.Bundles;
import dev.nightjar.storage.Registry;
import dev.nightjar.testing.SharedSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any text classifier in the registry: the MLlib baseline's pipeline bundle and text CNNs under one
 * name, on a labelled corpus both learn for sure (positive and negative reviews use different words).
 * The gate compares them on the same documents of the validation split, read from their text. The
 * tests run in order, each on the registry the one before left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TextClassifierRegistryTest {
    private static final List<String> GOOD = List.of("sunny", "bright", "happy", "joyful", "warm");
    private static final List<String> BAD = List.of("gloomy", "dark", "sad", "grim", "cold");
    static final Configuration CONF = new Configuration();

    @TempDir
    static Path tmp;
    static String data;
    static String registry;
    static Path baseline;

    static Config config(String... extra) {
        List<String> sets = new ArrayList<>(List.of("model.family=text-cnn", "model.text-cnn.embedding-size=8", "model.text-cnn.filters=8",
                "model.text-cnn.filter-widths=[2,3]", "model.text-cnn.dropout=0", "model.learning-rate=0.01", "model.l2=0",
                "train.workers=2", "train.averaging-frequency=2", "train.epochs=2", "train.checkpoint-every=0"));
        sets.addAll(List.of(extra));
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(sets));
    }

    @BeforeAll
    static void prepare() throws Exception {
        Random r = new Random(7);
        List<String> lines = new ArrayList<>(List.of("review,stars"));
        for (int i = 0; i < 300; i++) {
            boolean good = i % 3 != 0;
            StringBuilder b = new StringBuilder();
            for (int w = 0, n = 3 + r.nextInt(5); w < n; w++) {
                b.append(w == 0 ? "" : " ").append((good ? GOOD : BAD).get(r.nextInt(5)));
            }
            lines.add("\"" + b + " " + i + "\"," + (good ? "pos" : "neg"));
        }
        Path csv = tmp.resolve("reviews.csv");
        Files.write(csv, lines);
        data = tmp.resolve("data").toString();
        new ClassificationPrep(SharedSpark.get()).run(new ClassificationPrep.Options(new TextInput("csv", "review", List.of(csv.toString())),
                "stars", List.of("neg", "pos"), data, "char", null, 64, 16, 0.25, 0.1, 42, 1, 100, false, 0, 0, false));
        registry = tmp.resolve("registry").toString();
        baseline = tmp.resolve("baseline");
        // what nightjar baseline writes to OUTPUT/model, fitted once (it tries four regularisation strengths;
        // SentimentEndToEndTest runs it whole)
        Dataset<Row> train = SparkSession.builder().sparkContext(SharedSpark.get().sc()).getOrCreate().read()
                .parquet(data + "/" + ClassificationPrep.DOCS_DIR).filter("split = 'train'").selectExpr("text", "IF(label = 'pos', 1.0, 0.0) AS y");
        PipelineModel fitted = BaselineJob.pipeline(0.01).fit(train);
        PipelineClassifier.save(fitted, Manifest.labels(data, CONF), Map.of("kind", Bundles.PIPELINE_KIND, "dataset", data),
                baseline.resolve(BaselineJob.MODEL_DIR).toString(), CONF);
    }

    static RegisterJob.Outcome register(String name, Path run, String... sets) {
        return RegisterJob.run(registry, name, run.toString(), data, config(sets), SharedSpark.get());
    }

    static Map<?, ?> model(Map<String, Object> gate, String which) {
        return (Map<?, ?>) gate.get(which);
    }

    static double number(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** A text CNN that learned nothing: the family's fresh network, saved as a finished run. */
    static Path untrained() {
        Path run = tmp.resolve("untrained");
        if (Files.notExists(run.resolve(TrainJob.MODEL_DIR))) {
            Config c = config("seed=5");
            DatasetInfo info = Manifest.read(data, CONF).info(data, CONF);
            TrainingSetup s = Families.named("text-cnn").setup(new SetupContext(c, info, 1, null, null));
            Map<String, Object> provenance = new LinkedHashMap<>(s.provenance());
            provenance.put("kind", "text-cnn");
            provenance.put("dataset", Map.of("dir", data));
            new ModelBundle(s.create(), info.labels(), info.tokenizer(), provenance).save(run.resolve(TrainJob.MODEL_DIR));
        }
        return run;
    }

    /** Scores three clear reviews with the model a registry reference names: id → label, and the model's name and version. */
    static Map<String, String> score(String ref, String out) throws Exception {
        Path csv = tmp.resolve("to-score.csv");
        Files.writeString(csv, "id,text\n1,sunny bright happy\n2,gloomy dark sad\n3,warm joyful\n");
        ScoreJob.run(new ScoreJob.Options(ref, List.of(csv.toString()), "csv", "id", "text", null, null, tmp.resolve(out).toString(), "day",
                Reading.firstWindow(8), "", 3, 2.0, 1, List.of(), false), SharedSpark.get());
        Map<String, String> m = new TreeMap<>();
        for (Row r : SparkSession.builder().sparkContext(SharedSpark.get().sc()).getOrCreate().read()
                .parquet(tmp.resolve(out).resolve(ScoreJob.SCORES).toString()).collectAsList()) {
            m.put(r.getAs("id"), r.getAs("label"));
            m.put("model", r.getAs("model_name") + "@" + r.getAs("model_version"));
        }
        return m;
    }

    @Test
    @Order(1)
    void theBaselinePipelineIsTheFirstVersion() throws Exception {
        RegisterJob.Outcome o = register("sentiment", baseline);
        assertEquals("v0001", o.version());
        assertTrue(o.promoted(), o.gate().toString());
        assertEquals("accuracy", o.gate().get("metric"));
        Map<?, ?> candidate = model(o.gate(), "candidate");
        assertEquals(Bundles.PIPELINE_KIND, candidate.get("kind"));
        assertEquals(number(candidate, "accuracy"), number(candidate, "value"));
        assertTrue(number(candidate, "value") >= 0.95, o.gate().toString());
        assertTrue(number(candidate, "accuracy_low") <= number(candidate, "accuracy")
                && number(candidate, "accuracy") <= number(candidate, "accuracy_high"), o.gate().toString());
        assertEquals(Manifest.read(data, CONF).splits().get("validation").examples(), ((Number) o.gate().get("documents")).longValue(),
                "the validation split's documents");
        assertNull(o.gate().get("latest"));
        assertNull(o.gate().get("mcnemar"));
        Registry r = new Registry(registry, CONF);
        assertEquals(Bundles.PIPELINE_KIND, r.registration("sentiment", "v0001").get("kind"));
        assertTrue(Bundles.isPipeline(r.versionDir("sentiment", "v0001"), CONF), "the version holds the pipeline");

        assertEquals(Map.of("1", "pos", "2", "neg", "3", "pos", "model", "sentiment@v0001"), score(registry + "/sentiment@latest", "scores-1"));
        NightjarCliTest.Run list = NightjarCliTest.run("models", "list", "--registry", registry);
        assertTrue(list.out().lines().anyMatch(l -> l.contains("v0001") && l.contains(Bundles.PIPELINE_KIND) && l.contains("promoted")), list.out());

        // registering the same output again changes nothing; the CLI says so before Spark starts
        assertEquals("v0001", register("sentiment", baseline).version());
        assertEquals(0, NightjarCliTest.run("baseline", "--data", data, "--output", baseline.toString(), "--register-to", registry,
                "--model-name", "sentiment").code());
        assertEquals(List.of("v0001"), r.versions("sentiment"));
        NightjarCliTest.Run half = NightjarCliTest.run("baseline", "--data", data, "--output", baseline.toString(), "--register-to", registry);
        assertEquals(2, half.code());
        assertTrue(half.err().contains("--register-to and --model-name go together"), half.err());
    }

    @Test
    @Order(2)
    void aNetworkWorseThanThePipelineByMoreThanTheToleranceIsRefused() {
        RegisterJob.Outcome o = register("sentiment", untrained());
        assertEquals("v0002", o.version());
        assertFalse(o.promoted(), o.gate().toString());
        assertEquals("v0001", o.latest());
        Map<?, ?> candidate = model(o.gate(), "candidate");
        Map<?, ?> latest = model(o.gate(), "latest");
        assertEquals("text-cnn", candidate.get("kind"));
        assertEquals("v0001", latest.get("version"));
        assertEquals(Bundles.PIPELINE_KIND, latest.get("kind"));
        for (Map<?, ?> m : List.of(candidate, latest)) {
            assertEquals(number(m, "accuracy"), number(m, "value"));
            assertTrue(number(m, "accuracy_low") <= number(m, "accuracy") && number(m, "accuracy") <= number(m, "accuracy_high"), m.toString());
        }
        Map<?, ?> mcnemar = model(o.gate(), "mcnemar");
        long b = ((Number) mcnemar.get("only_latest_right")).longValue();
        long c = ((Number) mcnemar.get("only_candidate_right")).longValue();
        assertEquals(number(latest, "correct") - number(candidate, "correct"), b - c, "the discordant documents make the difference");
        assertTrue(number(mcnemar, "p") < 0.05, o.gate().toString());
        GateConfig g = GateConfig.from(config());
        assertEquals(g.passes("accuracy", number(candidate, "value"), number(latest, "value")), o.promoted());
        assertEquals(g.tolerance(), number(o.gate(), "tolerance"));
        assertTrue(o.gate().get("reason").toString().contains("worse by more than the tolerance"), o.gate().toString());
    }

    @Test
    @Order(3)
    void aTrainedNetworkReplacesThePipelineAndScoresThroughTheRegistry() throws Exception {
        Path run = tmp.resolve("cnn");
        TrainJob.run(new TrainJob.Options(config(), data, run.toString(), false), SharedSpark.get());
        // another metric than accuracy: measured per model, the network by evaluate and the pipeline by the baseline's
        // own measure; the comparison's accuracies and McNemar's test are in gate.json all the same
        RegisterJob.Outcome o = register("sentiment", run, "registry.gate.metric=macro_f1", "registry.gate.tolerance=0.05");
        assertEquals("v0003", o.version());
        assertEquals("macro_f1", o.gate().get("metric"));
        assertTrue(o.promoted(), o.gate().toString());
        Map<?, ?> latest = model(o.gate(), "latest");
        assertEquals("v0001", latest.get("version"), "compared with LATEST, not with the refused v0002");
        assertTrue(number(latest, "value") > 0.9 && number(model(o.gate(), "candidate"), "value") > 0.9, o.gate().toString());
        assertTrue(number(model(o.gate(), "candidate"), "accuracy") > 0.9, o.gate().toString());
        assertTrue(o.gate().get("mcnemar") instanceof Map<?, ?>, o.gate().toString());
        assertEquals("v0003", new Registry(registry, CONF).latest("sentiment"));
        assertEquals(Map.of("1", "pos", "2", "neg", "3", "pos", "model", "sentiment@v0003"), score(registry + "/sentiment@latest", "scores-3"));
    }

    @Test
    @Order(4)
    void wordVectorsAreNotAModelToRegister() throws Exception {
        Path glove = tmp.resolve("vectors.txt");
        Files.writeString(glove, "sunny 0.1 0.2\ngloomy -0.1 -0.2\n");
        Path vectors = tmp.resolve("vectors");
        VectorsJob.run(new VectorsJob.Options(glove.toString(), "glove", vectors.toString(), 0, false), CONF);
        for (Path run : List.of(vectors, tmp.resolve("vectors-run"))) {
            if (!run.equals(vectors)) {
                Files.createDirectories(run.resolve(TrainJob.MODEL_DIR));
                try (var files = Files.list(vectors)) {
                    for (Path f : files.toList()) {
                        Files.copy(f, run.resolve(TrainJob.MODEL_DIR).resolve(f.getFileName()));
                    }
                }
            }
            UserException e = assertThrows(UserException.class, () -> register("sentiment", run));
            assertTrue(e.getMessage().contains("word vectors") && e.getMessage().contains("not a model"), e.getMessage());
        }
        assertEquals(List.of("v0001", "v0002", "v0003"), new Registry(registry, CONF).versions("sentiment"), "nothing was copied");
    }
}
