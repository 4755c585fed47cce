package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.List;

/**
 * Typed, validated config of the text CNN ({@code model.text-cnn.*}, plus the shared optimizer and
 * L2 keys of {@code model.*}): Kim (2014)'s sentence classifier, an embedding read by parallel 1-D
 * convolutions of several widths, each max-pooled over time, concatenated, then softmax.
 *
 * @param optimizer     updater and learning-rate schedule
 * @param l2            L2 weight decay
 * @param embeddingSize width of the token embedding
 * @param freezeEmbedding keep the embedding table as it starts (pretrained vectors used as they are)
 * @param filterWidths  the convolution widths, one branch each
 * @param filters       filters per width
 * @param dropout       dropout probability on the pooled features
 * @param seed          weight-init seed
 */
public record TextCnnConfig(Optimizer optimizer, double l2, int embeddingSize, boolean freezeEmbedding, List<Integer> filterWidths,
                            int filters, double dropout, long seed) implements java.io.Serializable {

    public static final Setting<Integer> EMBEDDING_SIZE = Setting.intIn("model.text-cnn.embedding-size", 64, 1, 1 << 16,
            "Width of the token embedding.");
    public static final Setting<Boolean> FREEZE_EMBEDDING = Setting.bool("model.text-cnn.freeze-embedding", false,
            "Keep the embedding table as it starts: pretrained vectors (--init-from a word-vectors bundle) are used as they are "
                    + "instead of fine-tuned.");
    public static final Setting<List<Integer>> FILTER_WIDTHS = Setting.positiveInts("model.text-cnn.filter-widths", List.of(3, 5),
            "Convolution widths in tokens, one branch each.");
    public static final Setting<Integer> FILTERS = Setting.intIn("model.text-cnn.filters", 32, 1, 1 << 16, "Filters per width.");
    public static final Setting<Double> DROPOUT = Setting.doubleIn("model.text-cnn.dropout", 0.5, 0, 0.95,
            "Dropout probability on the pooled features.");

    public static final Section SECTION = new Section("model.text-cnn", "text CNN",
            "The text CNN (model.family = text-cnn, classification datasets), a ComputationGraph: an embedding read by 1-D "
                    + "convolutions of several widths, each max-pooled over the unmasked steps, concatenated, then softmax "
                    + "(Kim 2014). The optimizer and l2 keys of model apply too.",
            TextCnnConfig.class, EMBEDDING_SIZE, FREEZE_EMBEDDING, FILTER_WIDTHS, FILTERS, DROPOUT);

    public static TextCnnConfig from(Config c) {
        return new TextCnnConfig(Optimizer.from(c), Optimizer.L2.get(c), EMBEDDING_SIZE.get(c), FREEZE_EMBEDDING.get(c), FILTER_WIDTHS.get(c),
                FILTERS.get(c), DROPOUT.get(c), Configs.SEED.get(c));
    }
}
