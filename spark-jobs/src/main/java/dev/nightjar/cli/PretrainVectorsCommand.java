package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.OptionOverride;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.jobs.PretrainVectorsConfig;
import dev.nightjar.jobs.PretrainVectorsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "vectors", mixinStandardHelpOptions = true,
        description = {"Train word vectors on a corpus with Spark MLlib's word2vec (skip-gram, hierarchical softmax) and write them",
                "as a word-vectors bundle, the same as prepare vectors imports: words are cut by the word tokenizer, most frequent first.",
                "Prepare labelled text with --tokenizer-from it, then train model.family = text-cnn with --init-from it."})
final class PretrainVectorsCommand implements Callable<Integer> {
    @Mixin
    TextInputOptions text;

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
        TextInput input = text.textInput();
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
