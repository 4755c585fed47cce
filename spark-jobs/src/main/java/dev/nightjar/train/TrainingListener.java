package dev.nightjar.train;

import dev.nightjar.model.Network;

/** Driver-side callbacks of a training run. */
@FunctionalInterface
public interface TrainingListener {
    /**
     * Before the first segment of every epoch: the network to train in this epoch, which may be
     * another one with the same weights (a fine-tuning stage that thaws layers).
     */
    default Network beforeEpoch(int epoch, Network net) {
        return net;
    }

    /**
     * After a segment, when a checkpoint is due (every {@code train.checkpoint-every} segments and
     * at the end of every epoch): the network and where training would continue.
     */
    default void checkpoint(int nextEpoch, int nextSegment, long examplesSeen, Network net) {
    }

    /** After every segment. */
    void segment(SegmentMetrics m);

    /** After the last segment of an epoch, before its metrics are reported: validation metrics, main one first, or null when not measured. */
    default java.util.Map<String, Double> validate(int epoch, Network net) {
        return null;
    }
}
