package dev.nightjar.data.text;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.List;

/**
 * Typed, validated {@code prepare.text.*} (and the seed) for {@code nightjar prepare text} (a
 * language-model dataset). The tokenizer keys also apply to classification datasets
 * ({@link ClassificationPrepConfig}). Command-line options that override a key go through the
 * {@code with...} methods, checked by the key's own rule.
 *
 * @param tokenizer    char, word or bpe, when a new tokenizer is built
 * @param minCount     char, word: tokens seen fewer times in the train split map to {@code <unk>}; bpe: the least count of a merged pair
 * @param maxVocab     char, word: most frequent tokens kept, besides the reserved ids
 * @param seqLen       tokens each sequence predicts
 * @param batchSize    sequences per shard record (the training minibatch)
 * @param valFraction  share of documents for validation
 * @param testFraction share of documents for test
 * @param seed         split seed
 * @param vocabSize    bpe: ids in all, the 4 reserved ids and the 256 bytes included
 * @param bpePieces    bpe: most frequent distinct pieces of the train split that the merges are learned from
 */
public record TextPrepConfig(String tokenizer, int minCount, int maxVocab, int seqLen, int batchSize,
                             double valFraction, double testFraction, long seed, int vocabSize, int bpePieces) implements java.io.Serializable {
    public static final Setting<String> TOKENIZER = Setting.oneOf("prepare.text.tokenizer", "char", List.of("char", "word", "bpe"),
            "char; word (Unicode word boundaries, lower-cased); or bpe, byte-level byte-pair encoding (GPT-2's: pieces of "
                    + "text cut as GPT-2 cuts them, merges learned from the train split up to prepare.text.vocab-size ids; no "
                    + "text is unknown). --tokenizer overrides it; --tokenizer-from reuses a tokenizer instead.");
    public static final Setting<Integer> MIN_COUNT = Setting.intIn("prepare.text.min-count", 2, 1, Integer.MAX_VALUE,
            "char and word: tokens seen fewer times in the train split map to `<unk>`. bpe: a pair of symbols is merged only "
                    + "when counted this often in the train split.");
    public static final Setting<Integer> MAX_VOCAB = Setting.intIn("prepare.text.max-vocab", 20_000, 1, 1 << 24,
            "char and word: most frequent tokens kept, besides the 4 reserved ids (bpe takes prepare.text.vocab-size).");
    public static final Setting<Integer> VOCAB_SIZE = Setting.intIn("prepare.text.vocab-size", 8192, 260, 1 << 20,
            "bpe: ids in all, the 4 reserved ids and the 256 bytes included, so vocab-size - 260 merges (fewer when no pair "
                    + "is left counted min-count times). --vocab-size overrides it.");
    public static final Setting<Integer> BPE_PIECES = Setting.intIn("prepare.text.bpe-pieces", 200_000, 1, 1 << 24,
            "bpe: the merges are learned on the driver from the most frequent distinct pieces (a word with its leading space, "
                    + "a number, a run of punctuation) of the train split, at most this many; prep-report.json counts the pieces "
                    + "and occurrences left out. Left-out pieces still encode (with the merges learned, down to bytes).");
    public static final Setting<Integer> SEQ_LEN = Setting.intIn("prepare.text.seq-len", 100, 1, 1 << 20,
            "Tokens a sequence predicts; a stored sequence holds seq-len + 1 tokens (--seq-len overrides it).");
    public static final Setting<Integer> BATCH_SIZE = Setting.intIn("prepare.text.batch-size", 64, 1, 1 << 16,
            "Sequences per shard record = the training minibatch.");
    /** Declared so that job files that set it still load; nothing reads it (text shards are one per split and partition). */
    public static final Setting<Integer> SHARD_SEQUENCES = Setting.intIn("prepare.text.shard-sequences", 8192, 1, Integer.MAX_VALUE,
            "Not used at present: a text dataset has one shard file per split and Spark partition. Meant as sequences per "
                    + "shard file; kept so that job files that set it still load.");
    public static final Setting<Double> VAL_FRACTION = Setting.doubleIn("prepare.text.val-fraction", 0.05, 0, 0.5,
            "Share of documents for the validation split (--val-fraction overrides it).");
    public static final Setting<Double> TEST_FRACTION = Setting.doubleIn("prepare.text.test-fraction", 0.05, 0, 0.5,
            "Share of documents for the test split (--test-fraction overrides it).");

    public static final Section SECTION = new Section("prepare.text", "language-model datasets",
            "How nightjar prepare text (and demo text) cleans, splits, tokenizes and packs a corpus into sequences. The "
                    + "tokenizer, min-count, max-vocab, vocab-size and bpe-pieces keys also apply to prepare text --task classification. The split uses "
                    + "the top-level seed (--seed overrides it).",
            TextPrepConfig.class, TOKENIZER, MIN_COUNT, MAX_VOCAB, VOCAB_SIZE, BPE_PIECES, SEQ_LEN, BATCH_SIZE, SHARD_SEQUENCES, VAL_FRACTION, TEST_FRACTION);

    public static TextPrepConfig from(Config c) {
        return new TextPrepConfig(TOKENIZER.get(c), MIN_COUNT.get(c), MAX_VOCAB.get(c), SEQ_LEN.get(c), BATCH_SIZE.get(c),
                VAL_FRACTION.get(c), TEST_FRACTION.get(c), Configs.SEED.get(c), VOCAB_SIZE.get(c), BPE_PIECES.get(c));
    }

    /**
     * The job's options.
     *
     * @param tokenizerFrom a tokenizer.json, or a directory holding one, to reuse unchanged; or null
     */
    public TextPrep.Options options(List<TextInput> inputs, String output, String tokenizerFrom, boolean overwrite) {
        return new TextPrep.Options(inputs, output, tokenizer, tokenizerFrom, seqLen, batchSize, valFraction, testFraction, seed,
                minCount, maxVocab, overwrite, vocabSize, bpePieces);
    }
}
