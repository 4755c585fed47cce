package dev.nightjar.cli;

import dev.nightjar.jobs.VectorsJob;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.text.WordVectors;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "vectors", mixinStandardHelpOptions = true,
        description = {"Import pretrained word vectors as a word-vectors bundle (a word tokenizer and its embedding table).",
                "Prepare labelled text with --tokenizer-from it, then train model.family = text-cnn with --init-from it."})
final class PrepareVectorsCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "Vectors file (local or hdfs://; .gz is read gzipped).")
    String input;

    @Option(names = "--format", defaultValue = "glove",
            description = "glove (word v1 ... vd a line) | word2vec (the same after a 'count dim' line) | word2vec-binary (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--output", required = true, description = "Bundle directory to write (local or hdfs://).")
    String output;

    @Option(names = "--max-words", defaultValue = "0", description = "Keep the file's first N words, its most frequent (0 = all; default: ${DEFAULT-VALUE}).")
    int maxWords;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Override
    public Integer call() {
        if (!WordVectors.FORMATS.contains(format)) {
            throw new dev.nightjar.UserException("--format must be one of " + String.join("|", WordVectors.FORMATS) + ", got '" + format + "'");
        }
        if (maxWords < 0) {
            throw new dev.nightjar.UserException("--max-words must be >= 0, got " + maxWords);
        }
        ModelBundle b = VectorsJob.run(new VectorsJob.Options(input, format, output, maxWords, overwrite), new Configuration());
        System.out.printf(Locale.ROOT, "imported %s: %,d words of dimension %s (%s malformed lines, %s repeated words skipped); bundle: %s%n",
                input, b.provenance().get("words"), b.provenance().get("dim"), b.provenance().get("malformed_lines"),
                b.provenance().get("repeated_words"), output);
        return 0;
    }
}
