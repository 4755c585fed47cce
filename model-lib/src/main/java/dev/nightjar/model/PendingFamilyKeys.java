package dev.nightjar.model;

import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.List;

/**
 * Keys of the model-family work under way: the family registry's {@code model.family} and the
 * text CNN's {@code model.text-cnn.*}. They are declared here only until their readers declare
 * them as Settings and contribute their sections through the family registry; delete this class
 * then (and its line in spark-jobs' ConfigSchema.MODEL_SECTIONS and model-lib's test schema).
 */
public final class PendingFamilyKeys {
    public static final Setting<String> FAMILY = Setting.string("model.family", "auto",
            "The model family train builds: auto (the first family for the dataset's kind: image-classifier on images, "
                    + "language-model on lm data, text-classifier on classification data) | image-classifier | "
                    + "language-model | text-classifier | text-cnn.");
    public static final Setting<Integer> TEXT_CNN_EMBEDDING_SIZE = Setting.intIn("model.text-cnn.embedding-size", 64, 1, 1 << 16,
            "text-cnn: width of the token embedding.");
    public static final Setting<List<Integer>> TEXT_CNN_FILTER_WIDTHS = Setting.positiveInts("model.text-cnn.filter-widths",
            List.of(3, 5), "text-cnn: one convolution branch per width.");
    public static final Setting<Integer> TEXT_CNN_FILTERS = Setting.intIn("model.text-cnn.filters", 32, 1, 1 << 16,
            "text-cnn: filters per width.");
    public static final Setting<Double> TEXT_CNN_DROPOUT = Setting.doubleIn("model.text-cnn.dropout", 0.5, 0, 0.95,
            "text-cnn: dropout probability on the pooled features.");

    public static final Section SECTION = new Section("model", "model family and text CNN",
            "The family train builds (model.family) and the text CNN (model.family = text-cnn, classification data): an "
                    + "embedding read by 1-D convolutions of several widths, each max-pooled over time, concatenated, then "
                    + "softmax (Kim 2014). Declared here until the model-family registry declares these keys.",
            PendingFamilyKeys.class, FAMILY, TEXT_CNN_EMBEDDING_SIZE, TEXT_CNN_FILTER_WIDTHS, TEXT_CNN_FILTERS, TEXT_CNN_DROPOUT);

    private PendingFamilyKeys() {
    }
}
