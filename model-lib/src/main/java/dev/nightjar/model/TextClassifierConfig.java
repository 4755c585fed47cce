package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.List;

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
    public static final Setting<String> POOLING = Setting.oneOf("model.classifier.pooling", "mean", List.of("last", "mean", "max"),
            "Pooling over time, masks respected: last (the state at the last real step), mean or max.");
    public static final Setting<Integer> DENSE_UNITS = Setting.intIn("model.classifier.dense-units", 64, 1, 1 << 16,
            "Width of the dense layer between pooling and softmax.");
    public static final Setting<Double> DROPOUT = Setting.doubleIn("model.classifier.dropout", 0.0, 0, 0.95,
            "Dropout probability on the dense layer's input.");
    public static final Setting<String> FINETUNE = Setting.oneOf("model.classifier.finetune", "gradual", List.of("head", "gradual", "full"),
            "head: the encoder stays frozen (only pooling, dense and softmax train). gradual: unfreeze one encoder layer per "
                    + "stage, top first. full: everything trains from the first step.");
    public static final Setting<Integer> STAGE_EPOCHS = Setting.intIn("model.classifier.stage-epochs", 1, 1, 10_000,
            "gradual: epochs per unfreezing stage.");
    public static final Setting<Double> ENCODER_LEARNING_RATE_FACTOR = Setting.doubleIn("model.classifier.encoder-learning-rate-factor",
            1.0, 1e-6, 100,
            "The encoder's learning rate relative to model.learning-rate (discriminative fine-tuning; 1 = the same).");

    public static final Section SECTION = new Section("model.classifier", "text classifier",
            "The text classifier that nightjar train builds for a classification dataset: a language model's encoder, "
                    + "pooling, a dense layer and softmax. With --init-from MODEL_DIR the encoder is that language model's; "
                    + "without, model.lm shapes it and it trains from scratch. The optimizer and l2 keys of model apply too.",
            TextClassifierConfig.class, POOLING, DENSE_UNITS, DROPOUT, FINETUNE, STAGE_EPOCHS, ENCODER_LEARNING_RATE_FACTOR);

    public static TextClassifierConfig from(Config c) {
        return new TextClassifierConfig(
                LanguageModelConfig.from(c),
                Optimizer.from(c),
                Optimizer.L2.get(c),
                POOLING.get(c),
                DENSE_UNITS.get(c),
                DROPOUT.get(c),
                FINETUNE.get(c),
                STAGE_EPOCHS.get(c),
                ENCODER_LEARNING_RATE_FACTOR.get(c));
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
