package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Schema;
import dev.nightjar.config.Setting;
import dev.nightjar.data.image.ImagePrepConfig;
import dev.nightjar.data.text.ClassificationPrepConfig;
import dev.nightjar.data.text.TextPrepConfig;
import dev.nightjar.demo.SentimentDemoConfig;
import dev.nightjar.jobs.GateConfig;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.LanguageModelConfig;
import dev.nightjar.model.TextClassifierConfig;
import dev.nightjar.score.ScoreConfig;
import dev.nightjar.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.nightjar.cli.NightjarCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The config schema, its generated files and the {@code config} command; none of these start Spark. */
class ConfigSchemaTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void generatedFilesMatchTheDeclarations() throws IOException {
        for (Map.Entry<Path, String> f : GeneratedDocs.files().entrySet()) {
            Path file = ROOT.resolve(f.getKey());
            String onDisk = Files.isRegularFile(file) ? Files.readString(file) : "(missing)";
            if (!onDisk.equals(f.getValue())) {
                fail(f.getKey() + " differs from what the code generates (" + firstDifference(onDisk, f.getValue())
                        + "). Regenerate it, in the repository root, with: " + ConfigSchema.REGENERATE);
            }
        }
    }

    private static String firstDifference(String onDisk, String generated) {
        List<String> a = onDisk.lines().toList();
        List<String> b = generated.lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(end of file)";
            String y = i < b.size() ? b.get(i) : "(end of file)";
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": on disk '" + x + "', generated '" + y + "'";
            }
        }
        return "line ends differ";
    }

    @Test
    void theGeneratedFilesKeepLinesShort() {
        ConfigSchema.generated().forEach((path, text) ->
                text.lines().forEach(l -> assertTrue(l.length() <= 120, path + ": a line of " + l.length() + " characters: " + l)));
    }

    @Test
    void everyKeyOfTheExampleJobFilesIsDeclared() {
        for (String name : List.of("fashion-cnn.conf", "lm-char.conf", "sentiment.conf", "transfer.conf")) {
            Config job = Configs.parseJobFile(ROOT.resolve("conf").resolve(name).toString());
            for (var e : job.entrySet()) {
                assertTrue(ConfigSchema.SCHEMA.settings().containsKey(e.getKey()), name + ": " + e.getKey() + " is not declared");
            }
            ConfigSchema.SCHEMA.validate(ConfigSchema.SCHEMA.resolve(job));
            assertEquals(job.entrySet().size(), job.entrySet().stream().filter(e -> ConfigSchema.SCHEMA.keys().contains(e.getKey())).count());
        }
    }

    @Test
    void theDefaultsAreTheDeclarationsAndEveryRecordReadsThem() {
        assertSame(ConfigSchema.SCHEMA, Schema.application(), "found through META-INF/services");
        Config d = Configs.defaults();
        assertEquals(ConfigSchema.SCHEMA.defaults(), d);
        ConfigSchema.SCHEMA.validate(d);
        ImageModelConfig.from(d);
        LanguageModelConfig.from(d);
        TextClassifierConfig.from(d);
        TrainConfig.from(d);
        ImagePrepConfig.from(d);
        TextPrepConfig.from(d);
        ClassificationPrepConfig.from(d);
        ScoreConfig.from(d);
        GateConfig.from(d);
        SentimentDemoConfig.from(d);
        dev.nightjar.demo.TransferDemoConfig.from(d);
        assertEquals(42L, Configs.SEED.get(d));
        // a few defaults exactly as conf/defaults.conf had them before it was generated
        assertEquals(0.0001, d.getDouble("model.l2"));
        assertEquals(List.of(32, 64), d.getIntList("model.conv-filters"));
        assertEquals("", d.getString("score.positive-label"));
        assertEquals(300, d.getInt("train.lock-stale-seconds"));
        for (Setting<?> s : ConfigSchema.SCHEMA.settings().values()) {
            assertEquals(s.defaultValue(), s.get(d), s.key());
        }
    }

    @Test
    void unknownKeysAndBadValuesFailNamingTheKey(@TempDir Path tmp) {
        NightjarCliTest.Run unknown = run("config", "--set", "train.epoch=3");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown config key 'train.epoch' (known keys under train: ") && unknown.err().contains("epochs"),
                unknown.err());

        NightjarCliTest.Run bad = run("config", "--set", "score.bucket=month");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("config key 'score.bucket' must be one of hour|day|week, got 'month'"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), "one clear line: " + bad.err());

        NightjarCliTest.Run filters = run("config", "--set", "model.lenet-filters=[20]");
        assertEquals(2, filters.code());
        assertTrue(filters.err().contains("'model.lenet-filters' must be a list of exactly 2 positive integers, got [20]"), filters.err());

        NightjarCliTest.Run option = run("prepare", "images", "--input", tmp.resolve("absent").toString(), "--output",
                tmp.resolve("o").toString(), "--val-fraction", "1.5");
        assertEquals(2, option.code());
        assertTrue(option.err().contains("--val-fraction must be in [0, 0.9], got 1.5"), option.err());

        NightjarCliTest.Run bucket = run("score", "--model", tmp.toString(), "--input", tmp.toString(), "--format", "csv",
                "--id-col", "id", "--text-col", "text", "--output", tmp.resolve("o").toString(), "--bucket", "month");
        assertEquals(2, bucket.code());
        assertTrue(bucket.err().contains("--bucket must be one of hour|day|week, got 'month'"), bucket.err());
    }

    @Test
    void configPrintsTheResolvedConfigWithTheDefaultsOfChangedKeys() {
        NightjarCliTest.Run r = run("config", "--config", "../conf/fashion-cnn.conf", "--set", "train.epochs=3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  architecture = convnet  # default: lenet\n"), r.out());
        assertTrue(r.out().contains("  epochs = 3  # default: 1\n"), r.out());
        assertTrue(r.out().contains("\nseed = 42\n"), r.out());
        assertTrue(r.out().contains("    flip = true\n"), r.out());
    }

    @Test
    void writeDocsWritesBothFilesUnderTheRootAndOnlyWhenTheyChange(@TempDir Path tmp) throws IOException {
        assertEquals(2, run("config", "--write-docs", "--root", tmp.toString()).code(), "not a repository root");
        Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(tmp.resolve("pom.xml"), "<project/>");
        NightjarCliTest.Run first = run("config", "--write-docs", "--root", tmp.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("wrote conf/defaults.conf") && first.out().contains("wrote docs/configuration.md"), first.out());
        for (Map.Entry<Path, String> f : GeneratedDocs.files().entrySet()) {
            assertEquals(f.getValue(), Files.readString(tmp.resolve(f.getKey())));
        }
        NightjarCliTest.Run again = run("config", "--write-docs", "--root", tmp.toString());
        assertTrue(again.out().contains("conf/defaults.conf is up to date"), again.out());
        assertEquals(2, run("config", "--write-docs", "--root", tmp.toString(), "--set", "train.epochs=2").code());
    }
}
