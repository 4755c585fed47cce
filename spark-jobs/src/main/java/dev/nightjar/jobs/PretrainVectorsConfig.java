package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;
import dev.nightjar.data.text.TextInput;

/**
 * Typed {@code pretrain.vectors.*} and the seed, for {@code nightjar pretrain vectors}. The command's
 * options override the keys, checked by each key's own rule.
 *
 * @param vectorSize    dimension of the vectors
 * @param window        words on each side of a word that are its context
 * @param minCount      words seen fewer times in the corpus get no vector
 * @param iterations    passes over the corpus
 * @param stepSize      the initial learning rate
 * @param numPartitions partitions trained apart and averaged after each pass (0 = Spark's default parallelism)
 * @param maxWords      the most frequent this many words are kept (0 = every word seen min-count times)
 * @param seed          MLlib's seed
 */
public record PretrainVectorsConfig(int vectorSize, int window, int minCount, int iterations, double stepSize, int numPartitions,
                                    int maxWords, long seed) {
    public static final Setting<Integer> VECTOR_SIZE = Setting.intIn("pretrain.vectors.vector-size", 100, 1, 4096,
            "Dimension of the word vectors (--vector-size overrides it); a text CNN started from them needs "
                    + "model.text-cnn.embedding-size equal to it.");
    public static final Setting<Integer> WINDOW = Setting.intIn("pretrain.vectors.window", 5, 1, 100,
            "Words on each side of a word that count as its context (--window overrides it).");
    public static final Setting<Integer> MIN_COUNT = Setting.intIn("pretrain.vectors.min-count", 5, 1, Integer.MAX_VALUE,
            "A word seen fewer times in the corpus gets no vector and reads as <unk> (--min-count overrides it).");
    public static final Setting<Integer> ITERATIONS = Setting.intIn("pretrain.vectors.iterations", 1, 1, 1000,
            "Passes over the corpus (MLlib's maxIter; --iterations overrides it). Each pass costs about as much as the first.");
    public static final Setting<Double> STEP_SIZE = Setting.doubleIn("pretrain.vectors.step-size", 0.025, 1e-6, 1,
            "The initial learning rate; it falls linearly to almost zero over the words of all passes.");
    public static final Setting<Integer> NUM_PARTITIONS = Setting.intIn("pretrain.vectors.num-partitions", 0, 0, 100_000,
            "Partitions trained at the same time, each on its share of the corpus, and averaged after every pass "
                    + "(0 = Spark's default parallelism; --num-partitions overrides it). More partitions finish sooner, but each pass "
                    + "averages vectors learnt on smaller shares, which can cost quality (MLlib's own default is 1).");
    public static final Setting<Integer> MAX_WORDS = Setting.intIn("pretrain.vectors.max-words", 0, 0, Integer.MAX_VALUE,
            "Keep the most frequent this many words in the bundle (0 = every word seen min-count times; --max-words overrides it).");

    public static final Section SECTION = new Section("pretrain.vectors", "word vectors pretrained on a corpus",
            "nightjar pretrain vectors: Spark MLlib's word2vec (skip-gram, hierarchical softmax) on a user's corpus, written as "
                    + "the same word-vectors bundle that prepare vectors imports. MLlib's seed is the top-level seed.",
            PretrainVectorsConfig.class, VECTOR_SIZE, WINDOW, MIN_COUNT, ITERATIONS, STEP_SIZE, NUM_PARTITIONS, MAX_WORDS);

    public static PretrainVectorsConfig from(Config c) {
        return new PretrainVectorsConfig(VECTOR_SIZE.get(c), WINDOW.get(c), MIN_COUNT.get(c), ITERATIONS.get(c), STEP_SIZE.get(c),
                NUM_PARTITIONS.get(c), MAX_WORDS.get(c), Configs.SEED.get(c));
    }

    /** The job's options. */
    public PretrainVectorsJob.Options options(TextInput input, String output, boolean overwrite) {
        return new PretrainVectorsJob.Options(input, output, this, overwrite);
    }
}
