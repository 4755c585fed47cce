package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;

import java.util.List;

/**
 * Typed, validated config of the character (or word) LSTM language model: {@code model.lm.*}
 * plus the shared optimizer, weight-init and L2 keys of {@code model.*}.
 *
 * @param optimizer     updater and learning-rate schedule
 * @param weightInit    xavier or relu
 * @param l2            L2 weight decay
 * @param input         embedding (a learned table) or one-hot
 * @param embeddingSize width of the embedding (embedding input only)
 * @param lstmSizes     units of each stacked LSTM layer, bottom first
 * @param tbpttLength   truncated-BPTT window in time steps; 0 = the whole sequence
 * @param gradientClip  element-wise gradient clipping threshold; 0 = off
 * @param dropout       dropout probability on the input of each LSTM layer above the first
 * @param seed          weight-init seed
 */
public record LanguageModelConfig(Optimizer optimizer, String weightInit, double l2, String input, int embeddingSize,
                                  List<Integer> lstmSizes, int tbpttLength, double gradientClip, double dropout, long seed)
        implements java.io.Serializable {

    public static LanguageModelConfig from(Config c) {
        return new LanguageModelConfig(
                Optimizer.from(c),
                Configs.oneOf(c, "model.weight-init", "xavier", "relu"),
                Configs.doubleIn(c, "model.l2", 0, 1),
                Configs.oneOf(c, "model.lm.input", "embedding", "one-hot"),
                Configs.intIn(c, "model.lm.embedding-size", 1, 1 << 16),
                Configs.positiveInts(c, "model.lm.lstm-sizes"),
                Configs.intIn(c, "model.lm.tbptt-length", 0, 1 << 16),
                Configs.doubleIn(c, "model.lm.gradient-clip", 0, 1e6),
                Configs.doubleIn(c, "model.lm.dropout", 0, 0.95),
                c.getLong("seed"));
    }

    public boolean oneHot() {
        return input.equals("one-hot");
    }
}
