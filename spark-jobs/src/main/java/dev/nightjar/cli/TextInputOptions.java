package dev.nightjar.cli;

import dev.nightjar.UserException;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextSources;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code --input PATH... --format F [--text-col C] [--delimiter D]}, shared by the commands that read a corpus
 * in any of {@link TextSources#FORMATS} ({@code prepare text}, {@code pretrain vectors}) into a {@link TextInput}.
 */
final class TextInputOptions {
    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Files, directories or globs, local or hdfs:// (repeatable).")
    List<String> inputs;

    @Option(names = "--format", required = true, description = "lines (a document per line), text (a document per file), csv, jsonl or parquet.")
    String format;

    @Option(names = "--text-col", paramLabel = "C",
            description = "Text column (csv, jsonl, parquet). For a csv without header: its 0-based index.")
    String textCol;

    @Option(names = "--delimiter", paramLabel = "D",
            description = "lines: what ends a document instead of a line end, with \\n, \\r and \\t escapes; e.g. '\\n%%\\n' between fortunes.")
    String delimiter;

    /** Fails on a --format that is not one of {@link TextSources#FORMATS}. */
    void checkFormat() {
        if (!TextSources.FORMATS.contains(format)) {
            throw new UserException("--format must be one of " + TextSources.FORMATS + ", got " + format);
        }
    }

    /** The corpus, its --delimiter unescaped, once the format is known and every --input exists (fail fast, before Spark starts). */
    TextInput textInput() {
        checkFormat();
        TextInput input = new TextInput(format, textCol, unescape(delimiter), inputs);
        TextSources.checkExists(inputs, new Configuration());
        return input;
    }

    static String unescape(String s) {
        return s == null ? null : s.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t");
    }
}
