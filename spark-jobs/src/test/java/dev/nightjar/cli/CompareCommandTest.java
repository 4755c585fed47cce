package dev.nightjar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nightjar compare's mistakes exit 2 with one line, before Spark starts. */
class CompareCommandTest {
    private static NightjarCliTest.Run compare(Path tmp, String compareConfig, String... more) throws Exception {
        Path csv = tmp.resolve("in.csv");
        Files.writeString(csv, "text,label\ngood,pos\nbad,neg\n");
        Path conf = tmp.resolve("compare.conf");
        Files.writeString(conf, compareConfig);
        String[] base = {"compare", "--input", csv.toString(), "--format", "csv", "--text-col", "text", "--label-col", "label",
                "--output", tmp.resolve("out").toString(), "--config", conf.toString()};
        return NightjarCliTest.run(java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more))
                .toArray(String[]::new));
    }

    @Test
    void helpAndMistakes(@TempDir Path tmp) throws Exception {
        NightjarCliTest.Run help = NightjarCliTest.run("compare", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("Usage: nightjar compare"), help.out());

        NightjarCliTest.Run dup = compare(tmp, "compare.candidates = [{ name = b, baseline = true }, { name = b, baseline = true }]");
        assertEquals(2, dup.code());
        assertTrue(dup.err().contains("compare.candidates[1] (b)") && dup.err().contains("unique"), dup.err());
        assertEquals(1, dup.err().strip().lines().count(), dup.err());

        NightjarCliTest.Run missing = compare(tmp, "compare.candidates = [{ name = cnn, config = \"classpath:sentiment-cnn.conf\", "
                + "tokenizer-from = \"" + tmp.resolve("no-vectors") + "\" }]");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("compare.candidates[0] (cnn).tokenizer-from: not found"), missing.err());

        NightjarCliTest.Run folds = compare(tmp, "compare.candidates = [{ name = b, baseline = true }]", "--folds", "1");
        assertEquals(2, folds.code());
        assertTrue(folds.err().contains("--folds must be in [2, 100], got 1"), folds.err());
    }
}
