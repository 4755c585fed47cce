package dev.nightjar.score;

import dev.nightjar.text.ClassifierInput;

/**
 * How a network classifier reads documents when scoring.
 *
 * @param batchSize     parts (documents, or parts of long ones) per inference batch
 * @param maxWindows    a document is read up to this many of the model's max-len windows of tokens
 * @param longDocuments how a document longer than max-len is cut into parts (their probabilities: the mean)
 */
public record Reading(int batchSize, int maxWindows, ClassifierInput.LongDocuments longDocuments) implements java.io.Serializable {
    /** Each document whole up to its model's max-len: how evaluate reads the prepared test split. */
    public static Reading firstWindow(int batchSize) {
        return new Reading(batchSize, 1, ClassifierInput.LongDocuments.WINDOWS);
    }
}
