package dev.nightjar.model.family;

/**
 * How a dataset's records become a network's input: the record loader of the dataset kind, with
 * tokens as ids (an embedding layer reads them) or one-hot vectors, and the labels as the dataset
 * stores them or the features themselves (an autoencoder's target is its input).
 */
public record InputEncoding(DatasetKind dataset, boolean oneHotTokens, boolean labelsAreFeatures) {
    public InputEncoding(DatasetKind dataset, boolean oneHotTokens) {
        this(dataset, oneHotTokens, false);
    }

    public static InputEncoding of(DatasetKind dataset) {
        return new InputEncoding(dataset, false);
    }

    /** The dataset's features as input and as target (labels unused). */
    public static InputEncoding reconstruction(DatasetKind dataset) {
        return new InputEncoding(dataset, false, true);
    }
}
