package dev.nightjar.data;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.config.OptionOverride;
import dev.nightjar.config.Schema;
import dev.nightjar.data.image.ImagePrep;
import dev.nightjar.data.image.ImagePrepConfig;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.data.text.ClassificationPrepConfig;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.data.text.TextPrepConfig;
import dev.nightjar.model.ImageShape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prepare sections: defaults, config layers and command-line overrides, checked by each key's rule. */
class PrepConfigsTest {
    private static final Schema SCHEMA = Schema.of(Configs.SECTION, ImagePrepConfig.SECTION, TextPrepConfig.SECTION,
            ClassificationPrepConfig.SECTION);

    private static Config config(String... sets) {
        return SCHEMA.resolve(Configs.parseOverrides(List.of(sets)));
    }

    @Test
    void imagesFromConfigThenOptions() {
        ImagePrepConfig c = ImagePrepConfig.from(config("prepare.images.height=32", "seed=7"));
        assertEquals(new ImagePrepConfig(new ImageShape(1, 32, 28), 64, 8192, 0.1, 7), c);
        ImagePrep.Options o = ImagePrepConfig.from(OptionOverride.apply(config("prepare.images.height=32", "seed=7"),
                new OptionOverride<>(ImagePrepConfig.VAL_FRACTION, "--val-fraction", 0.2), new OptionOverride<>(Configs.SEED, "--seed", null)))
                .options("in", "out", true, null, false);
        assertEquals(0.2, o.valFraction());
        assertEquals(7, o.seed());
        assertTrue(o.allTest());
        assertNull(o.labels());
        UserException e = assertThrows(UserException.class,
                () -> OptionOverride.apply(config(), new OptionOverride<>(ImagePrepConfig.VAL_FRACTION, "--val-fraction", 0.95)));
        assertEquals("--val-fraction must be in [0, 0.9], got 0.95", e.getMessage());
        UserException k = assertThrows(UserException.class, () -> ImagePrepConfig.from(config("prepare.images.channels=2")));
        assertEquals("config key 'prepare.images.channels' must be 1 or 3, got 2", k.getMessage());
    }

    @Test
    void textFromConfigThenOverrides() {
        TextPrep.Options o = TextPrepConfig.from(OptionOverride.apply(config("prepare.text.min-count=5", "prepare.text.tokenizer=word"),
                new OptionOverride<>(TextPrepConfig.SEQ_LEN, "--seq-len", 50), new OptionOverride<>(TextPrepConfig.TOKENIZER, "--tokenizer", null),
                new OptionOverride<>(TextPrepConfig.TEST_FRACTION, "--test-fraction", 0.1), new OptionOverride<>(Configs.SEED, "--seed", 3L)))
                .options(List.of(new TextInput("lines", null, List.of("a.txt"))), "out", null, true);
        assertEquals("word", o.tokenizer());
        assertEquals(5, o.minCount());
        assertEquals(50, o.seqLen());
        assertEquals(0.05, o.valFraction());
        assertEquals(0.1, o.testFraction());
        assertEquals(3, o.seed());
        assertEquals("--tokenizer must be one of char|word|bpe, got 'unigram'",
                assertThrows(UserException.class, () -> OptionOverride.apply(config(),
                        new OptionOverride<>(TextPrepConfig.TOKENIZER, "--tokenizer", "unigram"))).getMessage());
        TextPrep.Options bpe = TextPrepConfig.from(OptionOverride.apply(config(), new OptionOverride<>(TextPrepConfig.TOKENIZER, "--tokenizer", "bpe"),
                new OptionOverride<>(TextPrepConfig.VOCAB_SIZE, "--vocab-size", 4096))).options(List.of(), "out", null, false);
        assertEquals("bpe", bpe.tokenizer());
        assertEquals(4096, bpe.vocabSize());
        assertEquals(200_000, bpe.bpePieces());
        assertEquals("--vocab-size must be in [260, 1048576], got 259", assertThrows(UserException.class, () -> OptionOverride.apply(config(),
                new OptionOverride<>(TextPrepConfig.VOCAB_SIZE, "--vocab-size", 259))).getMessage());
        assertTrue(assertThrows(UserException.class, () -> TextPrepConfig.from(config("prepare.text.seq-len=0"))).getMessage()
                .contains("config key 'prepare.text.seq-len' must be in [1, "));
    }

    @Test
    void classificationReadsTheTokenizerKeysOfPrepareText() {
        ClassificationPrep.Options o = ClassificationPrepConfig.from(OptionOverride.apply(
                config("prepare.text.max-vocab=100", "prepare.classification.max-len=64"),
                new OptionOverride<>(ClassificationPrepConfig.MAX_LEN, "--max-len", null),
                new OptionOverride<>(ClassificationPrepConfig.VAL_FRACTION, "--val-fraction", 0.2)))
                .options(new TextInput("csv", "text", List.of("a.csv")), "label", List.of("neg", "pos"), "out", "model", false);
        assertEquals("char", o.tokenizer());
        assertEquals(100, o.maxVocab());
        assertEquals(64, o.maxLen());
        assertEquals(0.2, o.valFraction());
        assertEquals(42, o.seed());
        assertEquals("model", o.tokenizerFrom());
        assertEquals("--max-len must be in [2, 1048576], got 1",
                assertThrows(UserException.class, () -> OptionOverride.apply(config(),
                        new OptionOverride<>(ClassificationPrepConfig.MAX_LEN, "--max-len", 1))).getMessage());
    }
}
