package dev.nightjar.model.family;

import dev.nightjar.model.Network;

import java.util.Map;

/** One training run of a family: built once per run by {@link ModelFamily#setup}. */
public interface TrainingSetup {
    /** The network to train: fresh, or warm-started from another bundle. */
    Network create();

    /** The network for an epoch: the same one, or one with the same weights and other layers frozen. */
    default Network beforeEpoch(int epoch, Network net) {
        return net;
    }

    /** The network to save in the bundle (e.g. without frozen wrappers). */
    default Network forBundle(Network trained) {
        return trained;
    }

    /** Family-specific provenance: input shape, tokenizer, sequence length, architecture, warm start. */
    Map<String, Object> provenance();

    /** Examples are counted by the trainer; how many tokens (or images) one is, for tokens/s. */
    default long unitsPerExample() {
        return 1;
    }

    /**
     * What DL4J's training score of one minibatch is summed over: the score divided by this is the
     * loss in {@link MetricsKind#lossUnit()} (time steps for a language model, pixel positions for an autoencoder; 1 otherwise).
     */
    default int stepsPerScore() {
        return 1;
    }
}
