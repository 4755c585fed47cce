package dev.nightjar.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.eval.ModelComparison;
import dev.nightjar.eval.Significance;
import dev.nightjar.model.family.Families;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compare.* without Spark: the candidates' checks, each naming the key, and the statistics over the folds. */
class CompareConfigTest {
    @TempDir
    static Path tmp;

    private static String jobFile() throws Exception {
        Path f = tmp.resolve("cnn.conf");
        Files.writeString(f, "model.family = text-cnn\ntrain.epochs = 1\n");
        return f.toString().replace("\\", "/");
    }

    private static CompareConfig parse(String compare, List<String> sets, List<String> only) {
        Config overrides = Configs.parseOverrides(sets);
        Config c = Configs.layered(Configs.defaults(), ConfigFactory.parseString(compare), overrides);
        return CompareConfig.from(c, overrides, only);
    }

    private static String error(String compare) {
        return assertThrows(UserException.class, () -> parse(compare, List.of(), null)).getMessage();
    }

    @Test
    void candidatesResolveTheirOwnConfigUnderTheCommandsSet() throws Exception {
        String cnn = jobFile();
        CompareConfig c = parse("compare.folds = 3\ncompare.candidates = [{ name = cnn, config = \"" + cnn + "\", tokenizer = word, "
                + "set { train.epochs = 4 } }, { name = base, baseline = true }]\nseed = 7", List.of("train.workers=1"), null);
        assertEquals(3, c.folds());
        assertEquals(7, c.seed());
        assertEquals("cnn", c.reference(), "the first candidate when compare.reference is empty");
        CompareConfig.Candidate first = c.candidates().get(0);
        assertEquals("text-cnn", Families.FAMILY.get(first.config()), "its job file");
        assertEquals(4, first.config().getInt("train.epochs"), "its set over its job file");
        assertEquals(1, first.config().getInt("train.workers"), "the command's --set over both");
        assertEquals("word", first.prep(c, 2).tokenizer());
        assertEquals(2, first.prep(c, 2).fold());
        assertEquals(7, first.prep(c, 2).seed(), "the compare config's seed splits");
        assertTrue(c.candidates().get(1).baseline());
        assertNull(c.candidates().get(1).config());

        CompareConfig only = parse("compare.candidates = [{ name = cnn, config = \"" + cnn + "\" }, { name = base, baseline = true }]",
                List.of(), List.of("base"));
        assertEquals(List.of("base"), only.candidates().stream().map(CompareConfig.Candidate::name).toList());
        assertEquals("base", only.reference());
    }

    @Test
    void theBundledJobFileParses() {
        Config c = Configs.layered(Configs.defaults(), Configs.parseJobFile(Path.of("..", "conf", "compare-sentiment.conf").toString()));
        CompareConfig compare = CompareConfig.from(c, ConfigFactory.empty(), null);
        assertEquals(List.of("glove-cnn", "baseline"), compare.candidates().stream().map(CompareConfig.Candidate::name).toList());
        assertEquals("baseline", compare.reference());
        assertEquals(5, compare.folds());
        assertEquals("work/demo/sentiment/vectors", compare.candidates().get(0).tokenizerFrom());
        assertEquals("text-cnn", Families.FAMILY.get(compare.candidates().get(0).config()));
        String rendered = dev.nightjar.config.Schema.application().render(c, List.of());
        assertTrue(rendered.contains("candidates = [{") && rendered.contains("\"baseline\":true"), "nightjar config shows the candidates");
    }

    @Test
    void mistakesNameTheKey() throws Exception {
        String cnn = "config = \"" + jobFile() + "\"";
        String m = error("compare.candidates = [{ name = a, " + cnn + " }, { name = a, baseline = true }]");
        assertTrue(m.contains("compare.candidates[1] (a)") && m.contains("unique") && m.contains("compare.candidates[0]"), m);

        m = error("compare.candidates = [{ name = a, " + cnn + ", epochs = 3 }]");
        assertTrue(m.contains("unknown config key 'compare.candidates[0].epochs'"), m);

        m = error("compare.candidates = [{ name = a, " + cnn + ", set { train.epoch = 3 } }]");
        assertTrue(m.contains("compare.candidates[0] (a)") && m.contains("unknown config key 'train.epoch'"), m);

        m = error("compare.candidates = [{ name = b, baseline = true }, { name = a }]");
        assertTrue(m.contains("config key 'compare.candidates[1].config' is missing"), m);

        m = error("compare.candidates = [{ name = a, baseline = true, init-from = x }]");
        assertTrue(m.contains("compare.candidates[0] (a)") && m.contains("init-from"), m);

        m = error("compare.candidates = [{ name = \"a/b\", baseline = true }]");
        assertTrue(m.contains("'compare.candidates[0].name'"), m);

        m = error("compare.candidates = [{ name = a, " + cnn + ", tokenizer = bytes }]");
        assertTrue(m.contains("compare.candidates[0].tokenizer") && m.contains("char|word"), m);

        m = error("compare.candidates = [{ name = a, " + cnn + ", set { model.learning-rate = fast } }]");
        assertTrue(m.contains("compare.candidates[0] (a)") && m.contains("'model.learning-rate'"), m);

        m = error("compare.reference = c\ncompare.candidates = [{ name = a, baseline = true }, { name = b, baseline = true }]");
        assertTrue(m.contains("'compare.reference'") && m.contains("a, b"), m);

        assertTrue(error("compare.folds = 3").contains("'compare.candidates' is empty"));
        assertTrue(error("compare.folds = 1\ncompare.candidates = [{ name = a, baseline = true }]").contains("'compare.folds'"));
        assertTrue(error("compare.candidates = [\"a\"]").contains("'compare.candidates' must be a list of objects"));
        m = error("compare.folds = 2\nprepare.classification.val-fraction = 0.5\ncompare.candidates = [{ name = a, baseline = true }]");
        assertTrue(m.contains("val-fraction") && m.contains("compare.folds"), m);

        m = assertThrows(UserException.class, () -> parse("compare.candidates = [{ name = a, baseline = true }]", List.of(),
                List.of("b"))).getMessage();
        assertTrue(m.contains("--candidates") && m.contains("'b'"), m);
    }

    private static ModelComparison.Result fold(long n, long correct, ModelComparison.Paired vs) {
        Significance.Interval ci = Significance.wilson(correct, n);
        return new ModelComparison.Result("k", n, correct, (double) correct / n, ci.low(), ci.high(), vs, 100);
    }

    @Test
    void theFoldsAddUp() {
        // reference r: 80, 70, 90 of 100; candidate x: 85 (b 5, c 10), 70 (b 4, c 4), 88 (b 6, c 4)
        long[][] x = {{85, 5, 10}, {70, 4, 4}, {88, 6, 4}};
        long[] r = {80, 70, 90};
        List<Map<String, ModelComparison.Result>> perFold = new ArrayList<>();
        Map<String, List<Candidates.Trained>> training = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            Map<String, ModelComparison.Result> m = new LinkedHashMap<>();
            m.put("r", fold(100, r[i], null));
            m.put("x", fold(100, x[i][0], new ModelComparison.Paired("r", (x[i][2] - x[i][1]) / 100.0, x[i][1], x[i][2],
                    Significance.mcnemarExactP(x[i][1], x[i][2]))));
            perFold.add(m);
            for (String name : List.of("r", "x")) {
                training.computeIfAbsent(name, k -> new ArrayList<>()).add(new Candidates.Trained(
                        new ModelComparison.Candidate(name, "m"), "k", null, 1 + i, name.equals("r") ? null : 100.0 * (i + 1), null));
            }
        }
        CompareResult c = CompareResult.of("r", perFold, training, List.of());
        assertEquals(300, c.documents());
        CompareResult.Summary s = c.candidates().get("x");
        Significance.MeanSd expected = Significance.meanSd(new double[]{0.85, 0.70, 0.88});
        assertEquals(expected.mean(), s.mean(), 1e-12);
        assertEquals(expected.sd(), s.sd(), 1e-12);
        assertEquals(0.70, s.min(), 1e-12);
        assertEquals(0.88, s.max(), 1e-12);
        assertEquals(243.0 / 300, s.pooled(), 1e-12);
        assertEquals(200.0, s.meanTrainExamplesPerSecond(), 1e-9);
        assertNull(c.candidates().get("r").meanTrainExamplesPerSecond(), "no examples/s for a baseline");
        assertEquals(2.0, s.meanTrainMinutes(), 1e-12);
        CompareResult.VsReference v = s.vsReference();
        assertEquals(List.of(0.05, 0.0, -0.02), v.differences().stream().map(d -> Math.round(d * 100) / 100.0).toList());
        assertEquals(1, v.foldsWon());
        assertEquals(1, v.foldsLost());
        assertEquals(15, v.onlyReference());
        assertEquals(18, v.onlyThis());
        assertEquals(Significance.mcnemarExactP(15, 18), v.mcnemarP(), 1e-15);
        assertEquals("tie", v.verdict());
        assertNull(c.candidates().get("r").vsReference());
        String table = c.table();
        assertTrue(table.contains("reference") && table.contains("(tie)") && table.contains("1 of 3"), table);
    }
}
