package dev.nightjar.storage;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.cli.NightjarCliTest;
import dev.nightjar.config.Configs;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.jobs.RegisterJob;
import dev.nightjar.jobs.TrainJob;
import dev.nightjar.model.LanguageModelConfig;
import dev.nightjar.model.LanguageModels;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.testing.SharedSpark;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry and its gate on a text that a small LSTM learns in one epoch (a repeating
 * sentence), with a model that learned nothing as the worse candidate. The tests run in order:
 * each night builds on the registry the one before left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryTest {
    @TempDir
    static Path tmp;
    static String data;
    static String registry;
    static final Configuration CONF = new Configuration();

    static Config config(String... extra) {
        List<String> sets = new ArrayList<>(List.of("model.learning-rate=0.02", "model.lm.embedding-size=8", "model.lm.lstm-sizes=[32]",
                "model.lm.tbptt-length=10", "train.workers=2", "train.averaging-frequency=4", "train.epochs=1", "train.checkpoint-every=0"));
        sets.addAll(List.of(extra));
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(sets));
    }

    @BeforeAll
    static void prepare() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add("the quick brown fox jumps over the lazy dog " + (i % 3 == 0 ? "again" : "today"));
        }
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, lines);
        data = tmp.resolve("data").toString();
        new TextPrep(SharedSpark.get()).run(new TextPrep.Options(List.of(new TextInput("lines", null, List.of(corpus.toString()))), data,
                "char", null, 20, 16, 0.1, 0.1, 42, 1, 100, false));
        registry = tmp.resolve("registry").toString();
    }

    static RegisterJob.Outcome register(String run) {
        return RegisterJob.run(registry, "lm", run, data, config(), SharedSpark.get());
    }

    static Map<?, ?> value(Map<String, Object> gate, String which) {
        return (Map<?, ?>) gate.get(which);
    }

    @Test
    @Order(1)
    void theFirstVersionBecomesLatest() {
        String run = tmp.resolve("night1").toString();
        TrainJob.run(new TrainJob.Options(config("train.epochs=2"), data, run, false), SharedSpark.get());
        RegisterJob.Outcome o = register(run);
        assertEquals("v0001", o.version());
        assertTrue(o.promoted());
        assertEquals("v0001", new Registry(registry, CONF).latest("lm"));
        assertTrue(o.gate().get("reason").toString().contains("first version"), o.gate().toString());
        assertEquals("bits_per_token", o.gate().get("metric"));
        double uniform = Math.log(Manifest.tokenizer(data, CONF).size()) / Math.log(2);
        assertTrue(((Number) value(o.gate(), "candidate").get("value")).doubleValue() < uniform - 1, "learned: " + o.gate());
        // the version is a loadable bundle with its registration, the tokenizer unchanged
        ModelBundle b = Bundles.load(registry + "/lm@latest", CONF);
        assertEquals(Manifest.tokenizer(data, CONF), b.tokenizer());
        Map<String, Object> reg = new Registry(registry, CONF).registration("lm", "v0001");
        assertEquals(new Registry(registry, CONF).root().replace("/registry", "/night1"), reg.get("run"));
        assertNull(reg.get("parent"));
    }

    @Test
    @Order(2)
    void aWorseModelIsRegisteredButLatestStays() {
        // a model that learned nothing: the same network, freshly initialised, saved as a finished run
        String run = tmp.resolve("night2-untrained").toString();
        Config c = config();
        Manifest m = Manifest.read(data, CONF);
        ModelBundle untrained = new ModelBundle(LanguageModels.create(LanguageModelConfig.from(c), Manifest.tokenizer(data, CONF).size(), m.text().seqLen(), 1),
                null, Manifest.tokenizer(data, CONF), Map.of("kind", "language-model", "dataset", Map.of("dir", data, "content_hash", m.contentHash())));
        Bundles.save(untrained, run + "/" + TrainJob.MODEL_DIR, CONF);
        RegisterJob.Outcome o = register(run);
        assertEquals("v0002", o.version());
        assertFalse(o.promoted(), o.gate().toString());
        assertEquals("v0001", o.latest());
        double candidate = ((Number) value(o.gate(), "candidate").get("value")).doubleValue();
        double latest = ((Number) value(o.gate(), "latest").get("value")).doubleValue();
        assertTrue(candidate > latest + 0.5, "untrained " + candidate + " vs trained " + latest);
        assertEquals("v0001", value(o.gate(), "latest").get("version"));

        // registering the same run again finds the same version and changes nothing
        RegisterJob.Outcome again = register(run);
        assertEquals("v0002", again.version());
        assertEquals(List.of("v0001", "v0002"), new Registry(registry, CONF).versions("lm"));
        assertEquals(o.gate(), again.gate());
        assertEquals("v0002", RegisterJob.previous(registry, "lm", run, CONF).version());
    }

    @Test
    @Order(3)
    void continuingFromLatestRecordsTheParentAndPassesTheGate() {
        String run = tmp.resolve("night3").toString();
        TrainJob.run(new TrainJob.Options(config(), data, run, false, registry + "/lm@latest"), SharedSpark.get());
        RegisterJob.Outcome o = register(run);
        assertEquals("v0003", o.version());
        assertEquals("lm@v0001", new Registry(registry, CONF).registration("lm", "v0003").get("parent"));
        assertTrue(o.promoted(), o.gate().toString());
        assertEquals("v0003", new Registry(registry, CONF).latest("lm"));
    }

    @Test
    @Order(4)
    void promoteAndRollbackMoveLatestAndNameTheVersions() {
        Registry r = new Registry(registry, CONF);
        assertEquals(0, NightjarCliTest.run("models", "rollback", "--registry", registry, "lm").code());
        assertEquals("v0001", r.latest("lm"), "rollback skips v0002, which the gate refused");
        assertEquals("v0003", r.latestPointer("lm").get("previous"));
        assertEquals("rollback", r.latestPointer("lm").get("by"));

        assertEquals(0, NightjarCliTest.run("models", "promote", "--registry", registry, "lm@v0003").code());
        assertEquals("v0003", r.latest("lm"));

        NightjarCliTest.Run list = NightjarCliTest.run("models", "list", "--registry", registry);
        assertEquals(0, list.code());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("lm") && l.contains("v0003") && l.contains("*") && l.contains("promoted")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.contains("v0002") && l.contains("refused")), list.out());
        assertTrue(NightjarCliTest.run("models", "show", "--registry", registry, "lm@v0002").out().contains("\"decision\" : \"refused\""));

        NightjarCliTest.Run missing = NightjarCliTest.run("models", "promote", "--registry", registry, "lm@v0009");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no version v0009") && missing.err().contains("v0003"), missing.err());
        UserException e = assertThrows(UserException.class, () -> Bundles.load(registry + "/nope@latest", CONF));
        assertTrue(e.getMessage().contains("no LATEST version of 'nope'"), e.getMessage());
    }
}
