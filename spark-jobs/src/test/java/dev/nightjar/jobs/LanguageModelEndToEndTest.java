package dev.nightjar.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.eval.LanguageModelMetrics;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.text.TextSampler;
import dev.nightjar.train.MetricsLog;
import dev.nightjar.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Losses that can be checked by hand, through the whole text path (prepare → train with
 * parameter averaging on local[2] → evaluate → generate): i.i.d. uniform symbols from an
 * alphabet of k cannot be predicted below ln k nats; a repeating sequence can be predicted almost
 * perfectly.
 */
class LanguageModelEndToEndTest {
    private static final int K = 8;
    private static final String ALPHABET = "abcdefgh";

    @TempDir
    static Path tmp;

    private static Config config(String... extra) {
        List<String> sets = new ArrayList<>(List.of("model.learning-rate=0.01", "model.l2=0", "model.lm.embedding-size=8",
                "model.lm.lstm-sizes=[32]", "model.lm.tbptt-length=10", "train.workers=2", "train.averaging-frequency=4",
                "train.epochs=2"));
        sets.addAll(List.of(extra));
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(sets));
    }

    private static LanguageModelMetrics trainAndTest(String name, List<String> lines, Config c) throws Exception {
        return trainAndTest(name, lines, c, "char", 0);
    }

    private static LanguageModelMetrics trainAndTest(String name, List<String> lines, Config c, String tokenizer, int vocabSize)
            throws Exception {
        Path corpus = tmp.resolve(name + ".txt");
        Files.write(corpus, lines);
        String data = tmp.resolve(name + "-data").toString();
        new TextPrep(SharedSpark.get()).run(new TextPrep.Options(List.of(new TextInput("lines", null, List.of(corpus.toString()))), data,
                tokenizer, null, 20, 16, 0.1, 0.1, 42, 1, 100, false, Math.max(vocabSize, 260), 100_000));
        Path run = tmp.resolve(name + "-run");
        TrainJob.run(new TrainJob.Options(c, data, run.toString(), false), SharedSpark.get());
        return EvaluateJob.languageModel(new EvaluateJob.Options(run.resolve(TrainJob.MODEL_DIR).toString(), data, "test", run.resolve("eval").toString(), 0),
                SharedSpark.get());
    }

    @Test
    void uniformSymbolsCostLnKNatsOnHeldOutText() throws Exception {
        LanguageModelMetrics m = trainAndTest("uniform", uniform(), config());
        // one end marker per 201 tokens adds about 0.03 nats; an untrained model sits at ln 12 = 2.48
        assertEquals(Math.log(K), m.natsPerToken(), 0.04 * Math.log(K), "held-out nats per token vs ln " + K);
        assertEquals(m.natsPerToken() / Math.log(2), m.bitsPerChar(), 1e-9);
        assertEquals(Math.exp(m.natsPerToken()), m.perplexity(), 1e-9);
        assertTrue(m.tokens() > 5_000, "tokens evaluated: " + m.tokens());

        JsonNode written = Json.MAPPER.readTree(tmp.resolve("uniform-run/eval/metrics.json").toFile());
        for (String key : List.of("nats_per_token", "bits_per_token", "bits_per_char", "perplexity")) {
            assertTrue(written.has(key), key);
        }
        List<String> log = Files.readAllLines(tmp.resolve("uniform-run").resolve(MetricsLog.FILE));
        JsonNode last = Json.MAPPER.readTree(log.get(log.size() - 1));
        assertEquals(last.get("train_loss").asDouble() / Math.log(2), last.get("train_bits_per_token").asDouble(), 1e-9);
        assertEquals(Math.log(K), last.get("train_loss").asDouble(), 0.1 * Math.log(K), "training loss per token");
        assertTrue(last.at("/validation/bits_per_token").isNumber(), "validation after the last epoch: " + last);
    }

    /**
     * Bits per character compare across tokenizers: with byte-level BPE tokens of about two letters, the same i.i.d.
     * letters still cost about log2 k bits per character (not per token) on held-out text.
     */
    @Test
    void bpeBitsPerCharacterAreTheSourcesEntropy() throws Exception {
        LanguageModelMetrics m = trainAndTest("uniform-bpe", uniform(), config(), "bpe", 4 + 256 + 40);
        double log2k = Math.log(K) / Math.log(2);
        System.out.printf("bpe on uniform letters: %.3f bits/char, %.3f bits/token%n", m.bitsPerChar(), m.bitsPerToken());
        assertTrue(m.bitsPerToken() > 1.5 * m.bitsPerChar(), "a token holds more than one letter: " + m);
        assertTrue(m.bitsPerChar() > log2k - 0.05 && m.bitsPerChar() < log2k + 0.35, "bits per character vs log2 " + K + ": " + m);

        // generation decodes the drawn ids' bytes: letters of the alphabet (and line breaks), a token holding several
        ModelBundle bundle = ModelBundle.load(tmp.resolve("uniform-bpe-run/model"));
        String sampled = new TextSampler(bundle.network(), bundle.requireTokenizer()).sample("abc", 100, 1.0, 1);
        assertTrue(sampled.length() > 130, "100 tokens of about 1.6 letters: " + sampled.length() + " characters");
        assertTrue(sampled.chars().filter(ch -> ALPHABET.indexOf(ch) < 0 && ch != '\n').count() <= 2, sampled);
    }

    private static List<String> uniform() {
        Random r = new Random(1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < 200; j++) {
                b.append(ALPHABET.charAt(r.nextInt(K)));
            }
            lines.add(b.toString());
        }
        return lines;
    }

    @Test
    void aRepeatingSequenceIsLearnedAndGeneratedExactly() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add(ALPHABET.repeat(25) + " " + i % 10);
        }
        LanguageModelMetrics m = trainAndTest("repeat", lines, config());
        assertTrue(m.natsPerToken() < 0.25, "held-out nats per token " + m.natsPerToken());

        ModelBundle bundle = ModelBundle.load(tmp.resolve("repeat-run/model"));
        String greedy = new TextSampler(bundle.network(), bundle.requireTokenizer()).sample("abc", 13, 0, 1);
        assertEquals("defghabcdefgh", greedy);
        String sampled = new TextSampler(bundle.network(), bundle.requireTokenizer()).sample("", 300, 1.0, 1);
        assertEquals(300, sampled.length());
    }
}
