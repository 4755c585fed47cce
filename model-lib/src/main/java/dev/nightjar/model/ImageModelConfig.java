package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.List;

/**
 * Typed, validated {@code model.*} section for image classifiers.
 *
 * @param architecture  lenet or convnet
 * @param optimizer     updater and learning-rate schedule
 * @param weightInit    xavier or relu
 * @param l2            L2 weight decay
 * @param dropout       dropout probability (0 = off)
 * @param convFilters   convnet: filters per block
 * @param convsPerBlock convnet: 3x3 convolutions (each with batch norm) per block
 * @param lenetFilters  lenet: filters of its two convolutions
 * @param denseUnits    units of the dense layer before the output
 * @param seed          weight-init seed
 */
public record ImageModelConfig(String architecture, Optimizer optimizer, String weightInit,
                               double l2, double dropout, List<Integer> convFilters, int convsPerBlock, List<Integer> lenetFilters,
                               int denseUnits, long seed) implements java.io.Serializable {
    public static final Setting<String> ARCHITECTURE = Setting.oneOf("model.architecture", "lenet", List.of("lenet", "convnet"),
            "lenet: two conv/pool blocks and a dense layer. convnet: conv blocks with batch norm and dropout.");
    public static final Setting<Double> DROPOUT = Setting.doubleIn("model.dropout", 0.0, 0, 0.95,
            "Dropout probability on the dense layer (both architectures) and after each conv block (convnet).");
    public static final Setting<List<Integer>> CONV_FILTERS = Setting.positiveInts("model.conv-filters", List.of(32, 64),
            "convnet: filters per conv block (each block: convs-per-block 3x3 convolutions with batch norm, then 2x2 max pooling).");
    public static final Setting<Integer> CONVS_PER_BLOCK = Setting.intIn("model.convs-per-block", 2, 1, 8,
            "convnet: 3x3 convolutions per block.");
    public static final Setting<List<Integer>> LENET_FILTERS = Setting.positiveInts("model.lenet-filters", List.of(20, 50),
            "lenet: filters of its two 5x5 convolutions.").where(l -> l.size() == 2, "a list of exactly 2 positive integers");
    public static final Setting<Integer> DENSE_UNITS = Setting.intIn("model.dense-units", 256, 1, 1 << 16,
            "Units of the dense layer before the output.");

    public static final Section SECTION = new Section("model", "image classifier (CNN)",
            "The convolutional network that nightjar train builds for an image dataset. The optimizer, weight-init and l2 "
                    + "keys of model apply too.",
            ImageModelConfig.class, ARCHITECTURE, DROPOUT, CONV_FILTERS, CONVS_PER_BLOCK, LENET_FILTERS, DENSE_UNITS);

    public static ImageModelConfig from(Config c) {
        return new ImageModelConfig(
                ARCHITECTURE.get(c),
                Optimizer.from(c),
                Optimizer.WEIGHT_INIT.get(c),
                Optimizer.L2.get(c),
                DROPOUT.get(c),
                CONV_FILTERS.get(c),
                CONVS_PER_BLOCK.get(c),
                LENET_FILTERS.get(c),
                DENSE_UNITS.get(c),
                Configs.SEED.get(c));
    }
}
