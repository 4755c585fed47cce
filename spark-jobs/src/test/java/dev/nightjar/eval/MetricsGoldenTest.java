package dev.nightjar.eval;

import dev.nightjar.testing.Golden;
import dev.nightjar.util.Json;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code metrics.json} of {@code nightjar evaluate}, serialised as {@code EvaluateJob} writes it
 * ({@code Json.write(metrics) + "\n"}), for fixed inputs, against checked-in golden files. Scripts and
 * other jobs (the gate, comparison.json, the baseline) read these keys. Regenerate with
 * {@code mvn -B -o -pl spark-jobs -Dtest=MetricsGoldenTest -Dgolden.update=true test}.
 */
class MetricsGoldenTest {
    private static final List<String> LABELS = List.of("cat", "dog", "bird");

    /**
     * Seven rows, three classes. Actual / predicted (argmax):
     * cat/cat, cat/cat, cat/dog, dog/dog, dog/bird, bird/bird, bird/bird; no row predicts with a tie.
     */
    static ClassifierEvaluation classifierEvaluation() {
        int[] actual = {0, 0, 0, 1, 1, 2, 2};
        float[][] probabilities = {
                {0.80f, 0.15f, 0.05f},
                {0.60f, 0.30f, 0.10f},
                {0.30f, 0.60f, 0.10f},
                {0.10f, 0.70f, 0.20f},
                {0.20f, 0.30f, 0.50f},
                {0.05f, 0.15f, 0.80f},
                {0.25f, 0.25f, 0.50f},
        };
        INDArray oneHot = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, actual.length, LABELS.size());
        for (int i = 0; i < actual.length; i++) {
            oneHot.putScalar(i, actual[i], 1f);
        }
        ClassifierEvaluation ce = new ClassifierEvaluation(LABELS);
        ce.eval(oneHot, Nd4j.create(probabilities));
        return ce;
    }

    @Test
    void classifierMetricsJson() throws Exception {
        ClassificationMetrics m = ClassificationMetrics.of("work/demo/images/model", "test", classifierEvaluation(), LABELS);
        // the hand-computed values the golden file must hold
        assertEquals(7, m.examples());
        assertEquals(5.0 / 7, m.accuracy(), 1e-12);
        assertNull(m.rocAuc(), "three classes: no ROC-AUC");
        assertEquals(3, m.perClass().get(0).support());
        assertEquals(1.0, m.perClass().get(0).precision(), 1e-12);
        assertEquals(2.0 / 3, m.perClass().get(0).recall(), 1e-12);
        assertEquals((0.8 + 0.5 + 0.8) / 3, m.macroF1(), 1e-12);
        Golden.check(MetricsGoldenTest.class, "metrics-classifier.json", Json.write(m) + "\n");
    }

    @Test
    void languageModelMetricsJson() throws Exception {
        // 1,000 tokens at 1.5 nats each
        LanguageModelMetrics m = LanguageModelMetrics.of("test", new TokenLoss(1500.0, 1000, 1000)); // a char tokenizer: a char a token
        assertEquals(1.5, m.natsPerToken(), 1e-12);
        assertEquals(1.5 / Math.log(2), m.bitsPerChar(), 1e-12);
        Golden.check(MetricsGoldenTest.class, "metrics-language-model.json", Json.write(m) + "\n");

        // a word tokenizer has no bits_per_char key (not null: absent)
        String words = Json.write(LanguageModelMetrics.of("test", new TokenLoss(1500.0, 1000)));
        assertFalse(words.contains("bits_per_char"), words);

        // bpe: the same loss over tokens of 4 characters each is a quarter of the bits per character
        LanguageModelMetrics bpe = LanguageModelMetrics.of("test", new TokenLoss(1500.0, 1000, 4000));
        assertEquals(1.5 / Math.log(2), bpe.bitsPerToken(), 1e-12);
        assertEquals(1500.0 / 4000 / Math.log(2), bpe.bitsPerChar(), 1e-12);
    }
}
