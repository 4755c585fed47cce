package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanguageModelsTest {
    private static final int V = 30;
    private static final int T = 20;

    private static LanguageModelConfig config(String... sets) {
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets)));
        return LanguageModelConfig.from(c);
    }

    private static DataSet batch(int n, boolean oneHot, long seed) {
        Random r = new Random(seed);
        float[] ids = new float[n * (T + 1)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 4 + r.nextInt(V - 4);
        }
        INDArray seq = Nd4j.create(ids, new long[] {n, 1, T + 1}, 'c');
        INDArray x = seq.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, T)).dup('c');
        INDArray y = seq.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, T + 1)).dup('c');
        if (oneHot) {
            INDArray hot = Nd4j.zeros(n, V, T);
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < T; t++) {
                    hot.putScalar(new int[] {b, x.getInt(b, 0, t), t}, 1.0);
                }
            }
            x = hot;
        }
        return new DataSet(x, y);
    }

    @Test
    void bothInputsGiveADistributionOverTheVocabularyAtEveryStep() {
        for (String input : List.of("embedding", "one-hot")) {
            MultiLayerNetwork net = LanguageModels.create(config("model.lm.input=" + input, "model.lm.lstm-sizes=[16,16]"), V, T, 1);
            INDArray out = net.output(batch(3, input.equals("one-hot"), 1).getFeatures());
            assertArrayEquals(new long[] {3, V, T}, out.shape(), input);
            assertEquals(3.0 * T, out.sumNumber().doubleValue(), 1e-3, input + ": softmax over the vocabulary at every step");
        }
    }

    @Test
    void scoreOverStepsIsTheMeanCrossEntropyPerToken() {
        MultiLayerNetwork net = LanguageModels.create(config("model.lm.lstm-sizes=[16]", "model.l2=0"), V, T, 1);
        DataSet ds = batch(4, false, 2);
        double[] nll = LanguageModels.negLogLikelihood(net.output(ds.getFeatures()), ds.getLabels());
        assertEquals(4 * T, nll[1]);
        double perToken = nll[0] / nll[1];
        // DL4J's score (L2 off) is summed over time and averaged over the minibatch
        assertEquals(perToken, net.score(ds) / T, 1e-4);
        // an untrained model is close to uniform: about ln V nats per token
        assertEquals(Math.log(V), perToken, 0.05 * Math.log(V));
    }

    @Test
    void trainingScoreNormalisedByItsStepsIsPerToken() {
        for (int window : new int[] {0, 8, 10}) {
            LanguageModelConfig cfg = config("model.lm.lstm-sizes=[16]", "model.lm.tbptt-length=" + window,
                    "model.learning-rate=0.0000001");
            MultiLayerNetwork net = LanguageModels.create(cfg, V, T, 1);
            net.fit(batch(8, false, 3));
            int steps = LanguageModels.stepsPerTrainingScore(cfg, T);
            assertEquals(Math.log(V), net.score() / steps, 0.05 * Math.log(V), "window " + window + ", " + steps + " steps");
        }
    }

    @Test
    void samplerPrintsTheRequestedTokensReproduciblyForBothInputs() {
        dev.nightjar.text.Tokenizer tok = dev.nightjar.text.Tokenizer.fromCounts(dev.nightjar.text.Segmenter.CHAR,
                java.util.Map.of("a", 3L, "b", 2L, " ", 1L), 1, 100);
        for (String input : List.of("embedding", "one-hot")) {
            MultiLayerNetwork net = LanguageModels.create(config("model.lm.input=" + input, "model.lm.lstm-sizes=[8]"), tok.size(), 10, 1);
            dev.nightjar.text.TextSampler sampler = new dev.nightjar.text.TextSampler(dev.nightjar.model.Network.of(net), tok);
            String a = sampler.sample("ab a", 50, 1.0, 7);
            assertEquals(50, a.codePointCount(0, a.length()), input);
            assertEquals(a, sampler.sample("ab a", 50, 1.0, 7), input + ": same seed, same text");
            assertTrue(a.chars().allMatch(c -> "ab \n".indexOf(c) >= 0), input + ": only known characters and line breaks: " + a);
        }
    }
}
