package dev.nightjar.cli;

import dev.nightjar.jobs.VectorsJob;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.text.WordVectors;
import org.apache.hadoop.conf.Configuration;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--corpus", arity = "1..*", paramLabel = "PATH",
            description = {"Also keep, beyond --max-words, the vectors of every word this corpus uses (cut by the word tokenizer;",
                    "files, directories or globs, local or hdfs://; repeatable): rare words of your domain keep their vectors. Runs a Spark job."})
    List<String> corpus = new ArrayList<>();

    @Option(names = "--corpus-format", defaultValue = "lines", description = "The corpus's format: lines, text, csv, jsonl or parquet (default: ${DEFAULT-VALUE}).")
    String corpusFormat;

    @Option(names = "--corpus-text-col", paramLabel = "C", description = "The corpus's text column (csv, jsonl, parquet; a 0-based index for a csv without header).")
    String corpusTextCol;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        if (!WordVectors.FORMATS.contains(format)) {
            throw new dev.nightjar.UserException("--format must be one of " + String.join("|", WordVectors.FORMATS) + ", got '" + format + "'");
        }
        if (maxWords < 0) {
            throw new dev.nightjar.UserException("--max-words must be >= 0, got " + maxWords);
        }
        if (!corpus.isEmpty() && !TextSources.FORMATS.contains(corpusFormat)) {
            throw new dev.nightjar.UserException("--corpus-format must be one of " + TextSources.FORMATS + ", got " + corpusFormat);
        }
        List<TextInput> texts = corpus.isEmpty() ? List.of() : List.of(new TextInput(corpusFormat, corpusTextCol, null, corpus));
        VectorsJob.Options o = new VectorsJob.Options(input, format, output, maxWords, texts, overwrite);
        if (texts.isEmpty()) {
            report(VectorsJob.run(o, new Configuration()));
            return 0;
        }
        return spark.run("prepare vectors", sc -> {
            report(VectorsJob.run(o, sc));
            return 0;
        });
    }

    private void report(ModelBundle b) {
        System.out.printf(Locale.ROOT, "imported %s: %,d words of dimension %s (%s malformed lines, %s repeated words skipped); bundle: %s%n",
                input, b.provenance().get("words"), b.provenance().get("dim"), b.provenance().get("malformed_lines"),
                b.provenance().get("repeated_words"), output);
        if (b.provenance().containsKey("corpus_words")) {
            System.out.printf(Locale.ROOT, "the corpus uses %,d different words; %,d of them have vectors%n",
                    b.provenance().get("corpus_words"), b.provenance().get("corpus_words_with_vectors"));
        }
    }
}
