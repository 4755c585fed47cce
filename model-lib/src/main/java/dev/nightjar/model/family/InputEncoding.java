package dev.nightjar.model.family;

/**
 * How a dataset's records become a network's input: the record loader of the dataset kind, with
 * tokens as ids (an embedding layer reads them) or one-hot vectors.
 */
public record InputEncoding(DatasetKind dataset, boolean oneHotTokens) {
    public static InputEncoding of(DatasetKind dataset) {
        return new InputEncoding(dataset, false);
    }
}
