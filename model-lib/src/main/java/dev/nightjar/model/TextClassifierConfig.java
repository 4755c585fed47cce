package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;

/**
 * Typed, validated config of the text classifier ({@code model.classifier.*}). The encoder is a
 * language model's embedding and LSTM layers: copied from a language-model bundle
 * ({@code --init-from}), or built from {@code model.lm.*} and trained from scratch.
 *
 * @param encoder      the encoder built from scratch (its sizes; ignored with --init-from) and the clip threshold
 * @param optimizer    updater and learning-rate schedule of fine-tuning
 * @param l2           L2 weight decay
 * @param pooling      last (the state at the last unmasked step), mean or max over unmasked steps
 * @param denseUnits   width of the dense layer between pooling and softmax
 * @param dropout      dropout probability on the dense layer's input
 * @param finetune     head (encoder frozen), gradual (unfreeze one encoder layer per stage, top first) or full
 * @param stageEpochs  gradual: epochs per unfreezing stage
 * @param encoderLearningRateFactor the encoder's learning rate relative to the head's (discriminative fine-tuning)
 */
public record TextClassifierConfig(LanguageModelConfig encoder, Optimizer optimizer, double l2, String pooling,
                                   int denseUnits, double dropout, String finetune, int stageEpochs, double encoderLearningRateFactor)
        implements java.io.Serializable {

    public static TextClassifierConfig from(Config c) {
        return new TextClassifierConfig(
                LanguageModelConfig.from(c),
                Optimizer.from(c),
                Configs.doubleIn(c, "model.l2", 0, 1),
                Configs.oneOf(c, "model.classifier.pooling", "last", "mean", "max"),
                Configs.intIn(c, "model.classifier.dense-units", 1, 1 << 16),
                Configs.doubleIn(c, "model.classifier.dropout", 0, 0.95),
                Configs.oneOf(c, "model.classifier.finetune", "head", "gradual", "full"),
                Configs.intIn(c, "model.classifier.stage-epochs", 1, 10_000),
                Configs.doubleIn(c, "model.classifier.encoder-learning-rate-factor", 1e-6, 100));
    }

    /**
     * Encoder layers kept frozen (bottom first) during an epoch: all of them for head, none for
     * full; gradual starts with all and unfreezes one more from the top every {@code stageEpochs}.
     */
    public int frozenLayers(int epoch, int encoderLayers) {
        return switch (finetune) {
            case "head" -> encoderLayers;
            case "full" -> 0;
            default -> Math.max(0, encoderLayers - epoch / stageEpochs);
        };
    }

    /** {@link #frozenLayers} for each epoch of a run. */
    public java.util.List<Integer> frozenLayersPerEpoch(int encoderLayers, int epochs) {
        return java.util.stream.IntStream.range(0, epochs).mapToObj(e -> frozenLayers(e, encoderLayers)).toList();
    }
}
