package dev.nightjar.data.text;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.List;

/**
 * Typed, validated {@code prepare.classification.*}, with the tokenizer keys of
 * {@code prepare.text.*} and the seed, for {@code nightjar prepare text --task classification}.
 * Command-line options that override a key go through the {@code with...} methods, checked by
 * the key's own rule.
 *
 * @param tokenizer    char, word or bpe, when a new tokenizer is built from the train split
 * @param minCount     tokens seen fewer times in the train split map to {@code <unk>} (new tokenizer)
 * @param maxVocab     most frequent tokens kept, besides the reserved ids (new tokenizer)
 * @param maxLen       ids kept per document, the leading end marker included
 * @param batchSize    documents per shard record (the training minibatch)
 * @param valFraction  share of each label's documents for validation
 * @param testFraction share of each label's documents for test (ignored when folds > 0)
 * @param seed         split seed
 * @param folds        k-fold cross-validation: k >= 2, or 0 = off
 * @param fold         with folds = k: the fold that is the test split, in [0, k)
 * @param vocabSize    bpe: ids in all (new tokenizer)
 * @param bpePieces    bpe: most frequent distinct pieces the merges are learned from (new tokenizer)
 */
public record ClassificationPrepConfig(String tokenizer, int minCount, int maxVocab, int maxLen, int batchSize, double valFraction,
                                       double testFraction, long seed, int folds, int fold,
                                       boolean extendVocabulary, int vocabSize, int bpePieces) implements java.io.Serializable {
    public static final Setting<Integer> MAX_LEN = Setting.intIn("prepare.classification.max-len", 256, 2, 1 << 20,
            "Tokens kept per document, the leading end marker included; longer documents are truncated (and counted). "
                    + "--max-len overrides it.");
    public static final Setting<Integer> BATCH_SIZE = Setting.intIn("prepare.classification.batch-size", 32, 1, 1 << 16,
            "Documents per shard record = the training minibatch (padded to its longest document, with a mask).");
    public static final Setting<Double> VAL_FRACTION = Setting.doubleIn("prepare.classification.val-fraction", 0.1, 0, 0.5,
            "Share of each label's documents for the validation split (stratified; --val-fraction overrides it). "
                    + "With folds = k it must be below 1 - 1/k.");
    public static final Setting<Double> TEST_FRACTION = Setting.doubleIn("prepare.classification.test-fraction", 0.1, 0, 0.5,
            "Share of each label's documents for the test split (stratified; --test-fraction overrides it). "
                    + "Ignored when folds > 0: the test split is then one fold.");
    public static final Setting<Integer> FOLDS = Setting.intIn("prepare.classification.folds", 0, 0, 1000,
            "k-fold cross-validation: with k >= 2, each label's documents, ranked by their seeded hash, are dealt into k folds; "
                    + "the one chosen by prepare.classification.fold is the test split (1/k of each label), validation takes val-fraction of each label "
                    + "evenly from the rest, and the others are train. test-fraction is ignored. Prepare k datasets, fold = 0 "
                    + "to k-1: every document is in test in exactly one. 0 = off (splits by val-fraction and test-fraction). "
                    + "--folds overrides it.")
            .where(k -> k == 0 || k >= 2, "0 (off) or an integer in [2, 1000]");
    public static final Setting<Integer> FOLD = Setting.intIn("prepare.classification.fold", 0, 0, 999,
            "With folds = k > 0: which fold, 0 to k-1, is the test split. --fold overrides it.");

    public static final Setting<Boolean> EXTEND_VOCABULARY = Setting.bool("prepare.classification.extend-vocabulary", false,
            "With --tokenizer-from: also take the train split's tokens seen prepare.text.min-count times that the reused "
                    + "tokenizer lacks (up to prepare.text.max-vocab of them), after its own; a bpe tokenizer lacks none and is reused "
                    + "as it is. With word vectors, the words they know start from their vectors and the corpus's other words "
                    + "from fresh rows, each its own (Kim 2014), instead of all sharing the unknown token. --extend-vocabulary "
                    + "overrides it.");

    public static final Section SECTION = new Section("prepare.classification", "labelled text datasets",
            "How nightjar prepare text --task classification (and demo sentiment) turns labelled text into a dataset for a "
                    + "text classifier. The tokenizer, min-count, max-vocab, vocab-size and bpe-pieces keys of prepare.text apply when no "
                    + "--tokenizer-from is given; the split uses the top-level seed.",
            ClassificationPrepConfig.class, MAX_LEN, BATCH_SIZE, VAL_FRACTION, TEST_FRACTION, FOLDS, FOLD, EXTEND_VOCABULARY);

    /** Checks the split keys together (a fold below folds, val-fraction below 1 - 1/folds), before Spark starts. */
    public ClassificationPrepConfig {
        ClassificationPrep.checkSplits(valFraction, testFraction, folds, fold);
    }

    public static ClassificationPrepConfig from(Config c) {
        return new ClassificationPrepConfig(TextPrepConfig.TOKENIZER.get(c), TextPrepConfig.MIN_COUNT.get(c), TextPrepConfig.MAX_VOCAB.get(c),
                MAX_LEN.get(c), BATCH_SIZE.get(c), VAL_FRACTION.get(c), TEST_FRACTION.get(c), Configs.SEED.get(c),
                FOLDS.get(c), FOLD.get(c), EXTEND_VOCABULARY.get(c), TextPrepConfig.VOCAB_SIZE.get(c), TextPrepConfig.BPE_PIECES.get(c));
    }

    /**
     * The job's options.
     *
     * @param labelCol      the label column (for a csv without header: its 0-based index)
     * @param labels        the labels in index order; null = every label found, sorted
     * @param tokenizerFrom a tokenizer.json, or a model or dataset directory holding one, to reuse; or null
     */
    public ClassificationPrep.Options options(TextInput input, String labelCol, List<String> labels, String output, String tokenizerFrom,
                                              boolean overwrite) {
        return new ClassificationPrep.Options(input, labelCol, labels, output, tokenizer, tokenizerFrom, maxLen, batchSize, valFraction,
                testFraction, seed, minCount, maxVocab, overwrite, folds, fold, extendVocabulary, vocabSize, bpePieces);
    }
}
