package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.List;

/**
 * Typed, validated config of the Transformer text classifier ({@code model.transformer-classifier.*}): a Transformer
 * language model's trunk, pooled, a dense layer and a softmax. With {@code --init-from} the trunk is that model's;
 * without, {@code model.transformer.*} shapes it (layers, heads, width, mlp-ratio, context, dropout) and it trains
 * from scratch. The optimizer keys of {@code model.*} apply, its schedule included.
 *
 * @param optimizer   updater and learning-rate schedule of fine-tuning
 * @param l2          L2 weight decay (of what trains)
 * @param pooling     mean or max over the real tokens
 * @param denseUnits  width of the dense layer between pooling and softmax
 * @param dropout     dropout probability on the dense layer's input
 * @param finetune    head (the trunk stays frozen), top (its top {@code topBlocks} blocks and final LayerNorm train) or full
 * @param topBlocks   top: the blocks that train
 * @param encoderLearningRateFactor the trunk's learning rate relative to the head's
 * @param seed        weight-init seed of the head (and of a trunk from scratch)
 */
public record TransformerClassifierConfig(Optimizer optimizer, double l2, String pooling, int denseUnits, double dropout,
                                          String finetune, int topBlocks, double encoderLearningRateFactor, long seed)
        implements java.io.Serializable {
    public static final Setting<String> POOLING = Setting.oneOf("model.transformer-classifier.pooling", "mean",
            List.of("mean", "max"), "Pooling of the trunk's outputs over the document's real tokens (the mask): mean or max.");
    public static final Setting<Integer> DENSE_UNITS = Setting.intIn("model.transformer-classifier.dense-units", 64, 1, 1 << 16,
            "Width of the dense layer between pooling and softmax.");
    public static final Setting<Double> DROPOUT = Setting.doubleIn("model.transformer-classifier.dropout", 0.1, 0, 0.95,
            "Dropout probability on the dense layer's input.");
    public static final Setting<String> FINETUNE = Setting.oneOf("model.transformer-classifier.finetune", "top",
            List.of("head", "top", "full"),
            "head: the trunk stays frozen, only pooling, dense and softmax train. top: the top model.transformer-classifier."
                    + "top-blocks blocks and the final LayerNorm train too (parameter-efficient). full: everything trains. "
                    + "Frozen parameters get no gradient, update or weight decay, and back-propagation stops below the lowest "
                    + "block that trains. Without --init-from everything trains, whatever this says.");
    public static final Setting<Integer> TOP_BLOCKS = Setting.intIn("model.transformer-classifier.top-blocks", 1, 1, 256,
            "finetune = top: how many of the trunk's top blocks train.");
    public static final Setting<Double> ENCODER_LEARNING_RATE_FACTOR = Setting.doubleIn(
            "model.transformer-classifier.encoder-learning-rate-factor", 1.0, 1e-6, 100,
            "The trunk's learning rate relative to model.learning-rate (discriminative fine-tuning; 1 = the same).");

    public static final Section SECTION = new Section("model.transformer-classifier", "Transformer text classifier",
            "The text classifier on a Transformer language model's trunk (model.family = transformer-classifier, classification "
                    + "datasets): the trunk (documents longer than its context read as consecutive windows of it), pooling over "
                    + "the real tokens, a dense layer and softmax. With --init-from MODEL_DIR (a transformer-lm of the dataset's "
                    + "tokenizer) the trunk is that model's; without, model.transformer shapes it and it trains from scratch. "
                    + "model.updater, model.learning-rate, model.schedule and model.l2 apply.",
            TransformerClassifierConfig.class, POOLING, DENSE_UNITS, DROPOUT, FINETUNE, TOP_BLOCKS, ENCODER_LEARNING_RATE_FACTOR);

    public static TransformerClassifierConfig from(Config c) {
        return new TransformerClassifierConfig(Optimizer.from(c), Optimizer.L2.get(c), POOLING.get(c), DENSE_UNITS.get(c), DROPOUT.get(c),
                FINETUNE.get(c), TOP_BLOCKS.get(c), ENCODER_LEARNING_RATE_FACTOR.get(c), Configs.SEED.get(c));
    }

    /** The trunk's trainable top blocks for a pretrained trunk of {@code layers} blocks (TransformerTrunk.ALL: all of it). */
    public int trainableBlocks(int layers) {
        return switch (finetune) {
            case "head" -> 0;
            case "full" -> dev.nightjar.model.transformer.TransformerTrunk.ALL;
            default -> {
                if (topBlocks > layers) {
                    throw new UserException("config key '" + TOP_BLOCKS.key() + "' is " + topBlocks + " but the Transformer has "
                            + layers + " blocks");
                }
                yield topBlocks;
            }
        };
    }
}
