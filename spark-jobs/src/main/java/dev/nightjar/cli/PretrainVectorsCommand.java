package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.OptionOverride;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextSources;
import dev.nightjar.jobs.PretrainVectorsConfig;
import dev.nightjar.jobs.PretrainVectorsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "vectors", mixinStandardHelpOptions = true,
        description = {"Train word vectors on a corpus with Spark MLlib's word2vec (skip-gram, hierarchical softmax) and write them",
                "as a word-vectors bundle, the same as prepare vectors imports: words are cut by the word tokenizer, most frequent first.",
                "Prepare labelled text with --tokenizer-from it, then train model.family = text-cnn with --init-from it."})
final class PretrainVectorsCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Files, directories or globs, local or hdfs:// (repeatable).")
    List<String> inputs;

    @Option(names = "--format", required = true, description = "lines (a document per line), text (a document per file), csv, jsonl or parquet.")
    String format;

    @Option(names = "--text-col", paramLabel = "C",
            description = "Text column (csv, jsonl, parquet). For a csv without header: its 0-based index.")
    String textCol;

    @Option(names = "--delimiter", paramLabel = "D",
            description = "lines: what ends a document instead of a line end, with \\n, \\r and \\t escapes.")
    String delimiter;

    @Option(names = "--output", required = true, description = "Bundle directory to write (local or hdfs://).")
    String output;

    @Option(names = "--vector-size", description = "Dimension of the vectors (default: pretrain.vectors.vector-size).")
    Integer vectorSize;

    @Option(names = "--window", description = "Context words on each side (default: pretrain.vectors.window).")
    Integer window;

    @Option(names = "--min-count", description = "Words seen fewer times get no vector (default: pretrain.vectors.min-count).")
    Integer minCount;

    @Option(names = "--iterations", description = "Passes over the corpus (default: pretrain.vectors.iterations).")
    Integer iterations;

    @Option(names = "--num-partitions", description = "Partitions trained at once, averaged after each pass; 0 = Spark's default parallelism "
            + "(default: pretrain.vectors.num-partitions).")
    Integer numPartitions;

    @Option(names = "--max-words", description = "Keep the most frequent N words; 0 = all (default: pretrain.vectors.max-words).")
    Integer maxWords;

    @Option(names = "--seed", description = "MLlib's seed (default: seed).")
    Long seed;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        if (!TextSources.FORMATS.contains(format)) {
            throw new dev.nightjar.UserException("--format must be one of " + TextSources.FORMATS + ", got " + format);
        }
        TextInput input = new TextInput(format, textCol, PrepareTextCommand.unescape(delimiter), inputs);
        TextSources.checkExists(inputs, new org.apache.hadoop.conf.Configuration()); // fail fast, before Spark starts
        Config c = OptionOverride.apply(config.resolve(),
                new OptionOverride<>(PretrainVectorsConfig.VECTOR_SIZE, "--vector-size", vectorSize),
                new OptionOverride<>(PretrainVectorsConfig.WINDOW, "--window", window),
                new OptionOverride<>(PretrainVectorsConfig.MIN_COUNT, "--min-count", minCount),
                new OptionOverride<>(PretrainVectorsConfig.ITERATIONS, "--iterations", iterations),
                new OptionOverride<>(PretrainVectorsConfig.NUM_PARTITIONS, "--num-partitions", numPartitions),
                new OptionOverride<>(PretrainVectorsConfig.MAX_WORDS, "--max-words", maxWords),
                new OptionOverride<>(Configs.SEED, "--seed", seed));
        PretrainVectorsJob.Options o = PretrainVectorsConfig.from(c).options(input, output, overwrite);
        return spark.run("pretrain vectors", sc -> {
            PretrainVectorsJob.Result r = PretrainVectorsJob.run(o, sc);
            System.out.printf(Locale.ROOT, "pretrained %s: %,d corpus words (%,d different), %,d seen min-count times; kept %,d of dimension %d; "
                            + "fit %.1f s (%,.0f words/s); bundle: %s%n", input, r.corpusWords(), r.distinctWords(), r.vocabulary(),
                    r.bundle().provenance().get("words"), o.params().vectorSize(), r.fitSeconds(), r.wordsPerSecond(), output);
            return 0;
        });
    }
}
