package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;

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

    public static ImageModelConfig from(Config c) {
        return new ImageModelConfig(
                Configs.oneOf(c, "model.architecture", "lenet", "convnet"),
                Optimizer.from(c),
                Configs.oneOf(c, "model.weight-init", "xavier", "relu"),
                Configs.doubleIn(c, "model.l2", 0, 1),
                Configs.doubleIn(c, "model.dropout", 0, 0.95),
                Configs.positiveInts(c, "model.conv-filters"),
                Configs.intIn(c, "model.convs-per-block", 1, 8),
                checkTwo(Configs.positiveInts(c, "model.lenet-filters")),
                Configs.intIn(c, "model.dense-units", 1, 1 << 16),
                c.getLong("seed"));
    }

    private static List<Integer> checkTwo(List<Integer> l) {
        if (l.size() != 2) {
            throw new dev.nightjar.UserException("config key 'model.lenet-filters' must list exactly 2 filter counts, got " + l);
        }
        return l;
    }
}
