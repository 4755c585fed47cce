package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** FLOPs of small networks of each kind against the numbers worked out by hand from their layer shapes. */
class FlopsTest {

    private static Config config(String... sets) {
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets)));
    }

    @Test
    void lenetCountsItsConvolutionsAtTheirOutputSizeAndItsDenseLayersOnce() {
        Network net = Network.of(ImageClassifiers.create(ImageModelConfig.from(config("model.architecture=lenet",
                "model.lenet-filters=[20,50]", "model.dense-units=500")), new ImageShape(1, 28, 28), 10, 1));
        long conv1 = 2L * 5 * 5 * 1 * 20 * 28 * 28;   // 'same' padding: 28 x 28 out
        long conv2 = 2L * 5 * 5 * 20 * 50 * 14 * 14;  // after 2x2 pooling
        long dense = 2L * (50 * 7 * 7) * 500;
        long output = 2L * 500 * 10;
        assertEquals(conv1 + conv2 + dense + output, Flops.forward(net, 1, 28, 28));
        assertEquals(13_044_000L, Flops.forward(net, 1, 28, 28));
        assertEquals(3 * 13_044_000L, Flops.training(net, 1, 28, 28));
    }

    @Test
    void convnetLeavesBatchNormAndPoolingOut() {
        Network net = Network.of(ImageClassifiers.create(ImageModelConfig.from(config("model.architecture=convnet",
                "model.conv-filters=[4,8]", "model.convs-per-block=2", "model.dense-units=16")), new ImageShape(1, 8, 8), 3, 1));
        long block1 = 2L * 9 * 1 * 4 * 64 + 2L * 9 * 4 * 4 * 64;
        long block2 = 2L * 9 * 4 * 8 * 16 + 2L * 9 * 8 * 8 * 16;
        long dense = 2L * (8 * 2 * 2) * 16 + 2L * 16 * 3;
        assertEquals(block1 + block2 + dense, Flops.forward(net, 1, 8, 8));
    }

    @Test
    void languageModelCountsTheLstmAndTheSoftmaxAtEveryStep() {
        int vocab = 50;
        int steps = 10;
        Network net = Network.of(LanguageModels.create(LanguageModelConfig.from(config("model.lm.embedding-size=64",
                "model.lm.lstm-sizes=[256]", "model.lm.tbptt-length=5")), vocab, steps, 1));
        long lstm = 2L * 4 * (64 + 256) * 256 * steps;
        long softmax = 2L * 256 * vocab * steps;
        assertEquals(lstm + softmax, Flops.forward(net, 1, steps));
        assertEquals(6_809_600L, Flops.forward(net, 1, steps));
        assertEquals(2 * (lstm + softmax), Flops.forward(net, 1, 2 * steps), "linear in the sequence length");
    }

    @Test
    void transformerCountsItsBlocksWeightsAttentionAndTheSoftmaxAtEveryStep() {
        int vocab = 60;
        int steps = 16;
        Network net = Network.of(Transformers.create(TransformerConfig.from(config("model.transformer.width=32",
                "model.transformer.layers=2", "model.transformer.heads=4", "model.transformer.mlp-ratio=3")), vocab, steps));
        long perBlock = 2L * (4 * 32 * 32 + 2 * 32 * 96) * steps     // Wq, Wk, Wv, Wo, W1, W2 at every position
                + 2L * 2 * steps * 32 * steps;                         // Q·Kᵀ and the weighted sum of V
        long softmax = 2L * 32 * vocab * steps;
        assertEquals(2 * perBlock + softmax, Flops.forward(net, 1, steps));
    }

    @Test
    void textClassifierCountsEveryStepUnderLastStepPoolingAndFrozenLayers() {
        TextClassifierConfig cfg = TextClassifierConfig.from(config("model.lm.embedding-size=8", "model.lm.lstm-sizes=[16]",
                "model.classifier.pooling=last", "model.classifier.dense-units=4"));
        MultiLayerNetwork clf = TextClassifiers.fromLanguageModel(TextClassifiers.freshEncoder(cfg, 30, 1), cfg, 2, 1);
        long expected = 2L * 4 * (8 + 16) * 16 * 7 + 2L * 16 * 4 + 2L * 4 * 2;
        assertEquals(expected, Flops.forward(Network.of(clf), 1, 7));
        MultiLayerNetwork frozen = TextClassifiers.withFrozen(clf.getLayerWiseConfigurations(), clf, 2);
        assertEquals(expected, Flops.forward(Network.of(frozen), 1, 7));
    }

    @Test
    void textCnnGraphCountsEachBranchAndNotTheEmbedding() {
        TextCnnConfig cfg = TextCnnConfig.from(config("model.text-cnn.embedding-size=100", "model.text-cnn.filter-widths=[3,4,5]",
                "model.text-cnn.filters=100"));
        Network net = Network.of(TextCnns.create(cfg, 1000, 2, 1));
        long convs = 2L * (3 + 4 + 5) * 100 * 100 * 20;  // 'same' padding: 20 steps out
        long output = 2L * 300 * 2;
        assertEquals(convs + output, Flops.forward(net, 1, 20));
    }

    @Test
    void biLstmGraphCountsBothDirections() {
        TextBiLstmConfig cfg = TextBiLstmConfig.from(config("model.text-bilstm.embedding-size=10", "model.text-bilstm.lstm-size=6"));
        Network net = Network.of(TextBiLstms.create(cfg, 40, 2, 1));
        long lstm = 2L * 4 * (10 + 6) * 6 * 9;
        long output = 2L * (4 * 6) * 2;
        assertEquals(2 * lstm + output, Flops.forward(net, 1, 9));
    }
}
