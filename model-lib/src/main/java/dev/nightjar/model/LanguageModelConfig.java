package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

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
    public static final Setting<String> INPUT = Setting.oneOf("model.lm.input", "embedding", List.of("embedding", "one-hot"),
            "embedding: a learned table of embedding-size numbers per token. one-hot: the vocabulary as the input width.");
    public static final Setting<Integer> EMBEDDING_SIZE = Setting.intIn("model.lm.embedding-size", 64, 1, 1 << 16,
            "Width of the embedding (embedding input only).");
    public static final Setting<List<Integer>> LSTM_SIZES = Setting.positiveInts("model.lm.lstm-sizes", List.of(256),
            "Units of each stacked LSTM layer, bottom first.");
    public static final Setting<Integer> TBPTT_LENGTH = Setting.intIn("model.lm.tbptt-length", 50, 0, 1 << 16,
            "Truncated-BPTT window in time steps (0 = the whole sequence); the state carries across windows.");
    public static final Setting<Double> GRADIENT_CLIP = Setting.doubleIn("model.lm.gradient-clip", 5.0, 0, 1e6,
            "Element-wise gradient clipping threshold (0 = off).");
    public static final Setting<Double> DROPOUT = Setting.doubleIn("model.lm.dropout", 0.0, 0, 0.95,
            "Dropout probability between stacked LSTM layers.");

    public static final Section SECTION = new Section("model.lm", "language model (LSTM)",
            "The character or word LSTM that nightjar train builds for a language-model dataset; also the encoder of a text "
                    + "classifier trained from scratch. The optimizer, weight-init and l2 keys of model apply too.",
            LanguageModelConfig.class, INPUT, EMBEDDING_SIZE, LSTM_SIZES, TBPTT_LENGTH, GRADIENT_CLIP, DROPOUT);

    public static LanguageModelConfig from(Config c) {
        return new LanguageModelConfig(
                Optimizer.from(c),
                Optimizer.WEIGHT_INIT.get(c),
                Optimizer.L2.get(c),
                INPUT.get(c),
                EMBEDDING_SIZE.get(c),
                LSTM_SIZES.get(c),
                TBPTT_LENGTH.get(c),
                GRADIENT_CLIP.get(c),
                DROPOUT.get(c),
                Configs.SEED.get(c));
    }

    public boolean oneHot() {
        return input.equals("one-hot");
    }
}
