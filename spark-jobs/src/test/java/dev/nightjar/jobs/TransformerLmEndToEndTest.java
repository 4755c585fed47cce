package dev.nightjar.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.eval.LanguageModelMetrics;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.family.Families;
import dev.nightjar.storage.Checkpoints;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.text.TextSampler;
import dev.nightjar.train.MetricsLog;
import dev.nightjar.util.AtomicFiles;
import dev.nightjar.util.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Transformer language model ({@code model.family = transformer-lm}) through the whole text path, with nothing in
 * spark-jobs knowing it: prepared char data, two workers training it by parameter averaging on local[2] with its loss
 * falling, kill-and-resume to the uninterrupted run's weights, evaluate, and generation past its context; the nightly job's
 * steps continuing it from the registry's LATEST, and a Transformer classifier fine-tuned from it.
 */
class TransformerLmEndToEndTest {
    private static final String ALPHABET = "abcdefgh";

    @TempDir
    static Path tmp;
    private static String data;

    private static Config config(String... extra) {
        List<String> sets = new ArrayList<>(List.of("model.family=transformer-lm", "model.learning-rate=0.005", "model.l2=0",
                "model.transformer.width=32", "model.transformer.layers=2", "model.transformer.heads=2",
                "model.transformer.warmup-steps=10", "train.workers=2", "train.averaging-frequency=4", "train.epochs=2",
                "train.checkpoint-every=1", "train.checkpoint-keep=100"));
        sets.addAll(List.of(extra));
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(sets));
    }

    @BeforeAll
    static void prepare() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add(ALPHABET.repeat(25) + " " + i % 10);
        }
        Path corpus = tmp.resolve("repeat.txt");
        Files.write(corpus, lines);
        data = tmp.resolve("data").toString();
        new TextPrep(SharedSpark.get()).run(new TextPrep.Options(List.of(new TextInput("lines", null, List.of(corpus.toString()))), data,
                "char", null, 20, 16, 0.1, 0.1, 42, 1, 100, false, 260, 100_000));
    }

    @Test
    void twoWorkersTrainItResumeItEvaluateItAndGenerate() throws Exception {
        Config c = config();
        Path straight = tmp.resolve("straight");
        TrainJob.Result uninterrupted = TrainJob.run(new TrainJob.Options(c, data, straight.toString(), false), SharedSpark.get());
        assertEquals("transformer-lm", uninterrupted.bundle().kind());

        List<String> log = Files.readAllLines(straight.resolve(MetricsLog.FILE));
        double first = Json.MAPPER.readTree(log.get(0)).get("train_loss").asDouble();
        JsonNode last = Json.MAPPER.readTree(log.get(log.size() - 1));
        System.out.printf("transformer-lm train loss per token: %.3f -> %.3f nats over %d segments%n", first,
                last.get("train_loss").asDouble(), log.size());
        assertTrue(first > 1.5, "the first segment's loss is near an untrained model's (ln 13 = 2.56): " + first);
        assertTrue(last.get("train_loss").asDouble() < 0.5 * first, "the loss falls: " + first + " -> " + last);

        // the same run killed after its checkpoint at the end of segment 1: what came after it is lost
        Path run = tmp.resolve("killed");
        TrainJob.run(new TrainJob.Options(c, data, run.toString(), false), SharedSpark.get());
        Checkpoints ckpts = new Checkpoints(run.toString(), SharedSpark.get().hadoopConfiguration(), 100);
        String kept = Checkpoints.name(0, 1);
        assertTrue(ckpts.list().size() > 2, "a checkpoint after every segment: " + ckpts.list());
        for (String d : ckpts.list()) {
            if (new org.apache.hadoop.fs.Path(d).getName().compareTo(kept) > 0) {
                AtomicFiles.deleteRecursively(Path.of(URI.create(d).getPath()));
            }
        }
        AtomicFiles.deleteRecursively(run.resolve(TrainJob.MODEL_DIR));
        TrainJob.Result resumed = TrainJob.run(new TrainJob.Options(c, data, run.toString(), false), SharedSpark.get());
        assertEquals(0, resumed.segments().get(0).epoch(), "the resume starts in epoch 1");
        assertEquals(1, resumed.segments().get(0).segment(), "at the segment after the checkpoint");
        double maxDiff = Transforms.abs(uninterrupted.bundle().network().params().sub(resumed.bundle().network().params()))
                .maxNumber().doubleValue();
        assertTrue(maxDiff < 1e-6, "resumed weights differ from the uninterrupted run's by " + maxDiff);

        LanguageModelMetrics m = EvaluateJob.languageModel(new EvaluateJob.Options(run.resolve(TrainJob.MODEL_DIR).toString(), data,
                "test", run.resolve("eval").toString(), 0), SharedSpark.get());
        assertTrue(m.natsPerToken() < 0.35, "held-out nats per token " + m.natsPerToken());
        assertEquals(m.natsPerToken() / Math.log(2), m.bitsPerChar(), 1e-9, "one character per token");

        // generation re-reads a window of the context (20 tokens) that slides once the text is longer
        ModelBundle bundle = ModelBundle.load(run.resolve(TrainJob.MODEL_DIR));
        TextSampler sampler = new TextSampler(Families.of(bundle).nextTokens(bundle.network(), bundle.requireTokenizer()),
                bundle.requireTokenizer());
        String greedy = sampler.sample("abc", 45, 0, 1);
        assertEquals("defghabcdefghabcdefghabcdefghabcdefghabcdefgh", greedy);
    }

    @Test
    void theNightlyJobContinuesItFromLatestAndAClassifierFineTunesFromIt() throws Exception {
        // night 1: from scratch, registered
        String registry = tmp.resolve("registry").toString();
        Path night1 = tmp.resolve("night1");
        TrainJob.run(new TrainJob.Options(config("train.epochs=1"), data, night1.toString(), false), SharedSpark.get());
        assertEquals("v0001", RegisterJob.run(registry, "tlm", night1.toString(), data, config("registry.gate.split=test"), SharedSpark.get()).latest());

        // night 2: new text prepared with LATEST's tokenizer, training continues from LATEST (as deploy/nightly-pretrain.sh does)
        Path corpus = tmp.resolve("night2.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add(ALPHABET.repeat(25) + " " + (9 - i % 10));
        }
        Files.write(corpus, lines);
        String data2 = tmp.resolve("data2").toString();
        String latest = dev.nightjar.storage.Registry.resolve(registry + "/tlm@latest", SharedSpark.get().hadoopConfiguration());
        new TextPrep(SharedSpark.get()).run(new TextPrep.Options(List.of(new TextInput("lines", null, List.of(corpus.toString()))), data2,
                "char", latest, 20, 16, 0.1, 0.1, 42, 1, 100, false, 260, 100_000));
        Path night2 = tmp.resolve("night2");
        TrainJob.run(new TrainJob.Options(config("train.epochs=1"), data2, night2.toString(), false, registry + "/tlm@latest"),
                SharedSpark.get());
        double start1 = Json.MAPPER.readTree(Files.readAllLines(night1.resolve(MetricsLog.FILE)).get(0)).get("train_loss").asDouble();
        double start2 = Json.MAPPER.readTree(Files.readAllLines(night2.resolve(MetricsLog.FILE)).get(0)).get("train_loss").asDouble();
        assertTrue(start2 < 0.5 * start1, "night 2 starts where night 1 ended (first segment's loss " + start2 + " vs " + start1 + ")");
        RegisterJob.Outcome second = RegisterJob.run(registry, "tlm", night2.toString(), data2, config("registry.gate.split=test"), SharedSpark.get());
        assertEquals("v0002", second.latest(), "the gate lets night 2 replace night 1: " + second.gate());

        // a classifier fine-tuned from it, its top block and head only: whether a document holds a 'g'
        List<String> rows = new ArrayList<>();
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 400; i++) {
            StringBuilder doc = new StringBuilder();
            for (int j = 0, n = 10 + r.nextInt(30); j < n; j++) {
                doc.append("abcdef".charAt(r.nextInt(6)));
            }
            boolean g = i % 2 == 0;
            if (g) {
                doc.setCharAt(r.nextInt(doc.length()), 'g');
            }
            rows.add(doc + "," + (g ? "g" : "none"));
        }
        Path csv = tmp.resolve("labelled.csv");
        Files.write(csv, rows);
        String labelled = tmp.resolve("labelled").toString();
        new dev.nightjar.data.text.ClassificationPrep(SharedSpark.get()).run(new dev.nightjar.data.text.ClassificationPrep.Options(
                new TextInput("csv", "0", List.of(csv.toString())), "1", List.of("none", "g"), labelled, "char", latest,
                64, 16, 0.1, 0.2, 42, 1, 100, false, 0, 0, false));
        Path clf = tmp.resolve("classifier");
        Config cc = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("model.family=transformer-classifier",
                "model.learning-rate=0.005", "model.transformer-classifier.finetune=top", "train.workers=3", "train.epochs=6",
                "train.averaging-frequency=4")));
        TrainJob.Result trained = TrainJob.run(new TrainJob.Options(cc, labelled, clf.toString(), false, registry + "/tlm@v0002"),
                SharedSpark.get());
        assertEquals("transformer-classifier", trained.bundle().kind());
        assertEquals(1, trained.bundle().provenance().get("trainable_blocks"));
        // what does not train is v0002's, bit for bit, after averaging over 3 workers ((a + a + a) / 3 is not always a)
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> pretrained = ModelBundle.load(Path.of(URI.create(
                dev.nightjar.storage.Registry.resolve(registry + "/tlm@v0002", SharedSpark.get().hadoopConfiguration())).getPath()))
                .network().multiLayer().getLayer(0).paramTable();
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> tuned = trained.bundle().network().multiLayer().getLayer(0).paramTable();
        for (String p : List.of("E", "P", "blk0Wq", "blk0W1", "blk0ln1g")) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(pretrained.get(p).dup().data().asFloat(), tuned.get(p).dup().data().asFloat(),
                    p + " stays as pretrained, bit for bit");
        }
        assertTrue(!pretrained.get("blk1W1").equals(tuned.get("blk1W1")), "the top block trains");
        dev.nightjar.eval.ClassificationMetrics m = EvaluateJob.classification(new EvaluateJob.Options(clf.resolve(TrainJob.MODEL_DIR).toString(),
                labelled, "test", clf.resolve("eval").toString(), 0), SharedSpark.get());
        assertTrue(m.accuracy() >= 0.85, "Transformer classifier test accuracy " + m.accuracy() + " (chance 0.5)");
    }
}
