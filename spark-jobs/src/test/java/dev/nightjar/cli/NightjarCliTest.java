package dev.nightjar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit codes and messages a user sees; none of these start Spark. */
public class NightjarCliTest {
    /** What a command printed and returned, run in this JVM (other tests use it too). */
    public record Run(int code, String out, String err) {
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Nightjar.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasGeneratedHelp() {
        for (List<String> cmd : List.<List<String>>of(List.of(), List.of("fetch-samples"), List.of("prepare"), List.of("prepare", "images"),
                List.of("prepare", "text"), List.of("pretrain"), List.of("pretrain", "vectors"), List.of("train"), List.of("evaluate"), List.of("generate"), List.of("benchmark"), List.of("demo"),
                List.of("demo", "images"), List.of("demo", "text"), List.of("models"), List.of("models", "list"), List.of("models", "latest"))) {
            String[] args = java.util.stream.Stream.concat(cmd.stream(), java.util.stream.Stream.of("--help")).toArray(String[]::new);
            Run r = run(args);
            assertEquals(0, r.code(), cmd.toString());
            assertTrue(r.out().startsWith("Usage: nightjar"), r.out());
        }
    }

    @Test
    void unknownConfigKeyExitsTwoNamingTheKey(@TempDir Path tmp) {
        Run r = run("train", "--config", "../conf/fashion-cnn.conf", "--set", "train.epoch=3", "--data", tmp.toString(),
                "--output", tmp.resolve("run").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown config key 'train.epoch'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one clear line, no stack trace: " + r.err());
    }

    @Test
    void badValueExitsTwo(@TempDir Path tmp) {
        Run r = run("train", "--set", "train.workers=0", "--data", tmp.toString(), "--output", tmp.resolve("run").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'train.workers' must be in [1,"), r.err());
    }

    @Test
    void missingPathsExitTwo(@TempDir Path tmp) {
        Run train = run("train", "--data", tmp.resolve("nothing").toString(), "--output", tmp.resolve("run").toString());
        assertEquals(2, train.code());
        assertTrue(train.err().contains("not a dataset directory") && train.err().contains("nothing"), train.err());

        Run prep = run("prepare", "images", "--input", tmp.resolve("absent").toString(), "--output", tmp.resolve("o").toString());
        assertEquals(2, prep.code());
        assertTrue(prep.err().contains("input not found"), prep.err());
        assertFalse(prep.err().contains("\tat "), "no stack trace without --verbose");

        Run text = run("prepare", "text", "--input", tmp.resolve("corpus/*.txt").toString(), "--format", "lines",
                "--output", tmp.resolve("o").toString());
        assertEquals(2, text.code());
        assertTrue(text.err().contains("input not found") && text.err().contains("corpus"), text.err());

        Run generate = run("generate", "--model", tmp.resolve("no-model").toString());
        assertEquals(2, generate.code());
        assertTrue(generate.err().contains("no-model"), generate.err());
    }

    @Test
    void unknownTextFormatExitsTwoListingTheFormats(@TempDir Path tmp) {
        Run r = run("prepare", "text", "--input", tmp.toString(), "--format", "xml", "--output", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("[lines, text, csv, jsonl, parquet]"), r.err());
    }

    @Test
    void badFoldOptionsExitTwoBeforeSparkStarts(@TempDir Path tmp) throws Exception {
        Path csv = java.nio.file.Files.writeString(tmp.resolve("l.csv"), "text,label\nfine,pos\n");
        List<String> common = List.of("prepare", "text", "--task", "classification", "--input", csv.toString(), "--format", "csv",
                "--text-col", "text", "--label-col", "label", "--output", tmp.resolve("o").toString());
        Run one = run(java.util.stream.Stream.concat(common.stream(), java.util.stream.Stream.of("--folds", "1")).toArray(String[]::new));
        assertEquals(2, one.code());
        assertTrue(one.err().contains("--folds must be 0 (off) or an integer in [2, 1000], got 1"), one.err());
        Run past = run(java.util.stream.Stream.concat(common.stream(), java.util.stream.Stream.of("--folds", "5", "--fold", "5"))
                .toArray(String[]::new));
        assertEquals(2, past.code());
        assertTrue(past.err().contains("--fold (prepare.classification.fold) must be in [0, 4] with --folds 5, got 5"), past.err());
        Run lm = run("prepare", "text", "--input", csv.toString(), "--format", "lines", "--output", tmp.resolve("o").toString(),
                "--folds", "5");
        assertEquals(2, lm.code());
        assertTrue(lm.err().contains("--folds and --fold are for --task classification"), lm.err());
    }

    @Test
    void vocabSizeIsForANewBpeTokenizerAndChecked(@TempDir Path tmp) throws Exception {
        Path corpus = java.nio.file.Files.writeString(tmp.resolve("c.txt"), "some text\n");
        List<String> common = List.of("prepare", "text", "--input", corpus.toString(), "--format", "lines", "--output",
                tmp.resolve("o").toString());
        Run small = run(java.util.stream.Stream.concat(common.stream(), java.util.stream.Stream.of("--tokenizer", "bpe", "--vocab-size", "100"))
                .toArray(String[]::new));
        assertEquals(2, small.code());
        assertTrue(small.err().contains("--vocab-size must be in [260, "), small.err());
        Run chars = run(java.util.stream.Stream.concat(common.stream(), java.util.stream.Stream.of("--vocab-size", "1000"))
                .toArray(String[]::new));
        assertEquals(2, chars.code());
        assertTrue(chars.err().contains("--vocab-size is for --tokenizer bpe (prepare.text.tokenizer is char"), chars.err());
        Run key = run(java.util.stream.Stream.concat(common.stream(), java.util.stream.Stream.of("--set", "prepare.text.vocab-size=12"))
                .toArray(String[]::new));
        assertEquals(2, key.code());
        assertTrue(key.err().contains("'prepare.text.vocab-size' must be in [260, "), key.err());
    }

    @Test
    void eachDemoPartGetsItsOwnConfig() {
        ConfigOptions none = new ConfigOptions();
        com.typesafe.config.Config images = none.resolveOr(DemoImagesCommand.CONFIG);
        com.typesafe.config.Config text = none.resolveOr(DemoTextCommand.CONFIG);
        assertEquals("convnet", images.getString("model.architecture"));
        assertEquals(7, images.getInt("train.epochs"));
        assertEquals(25, text.getInt("model.lm.tbptt-length"));
        assertEquals(2, text.getInt("train.epochs"));
        assertEquals(0.01, text.getDouble("model.learning-rate"), 1e-12);
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("train", "--no-such-option").code());
        assertEquals(2, run("frobnicate").code());
    }
}
