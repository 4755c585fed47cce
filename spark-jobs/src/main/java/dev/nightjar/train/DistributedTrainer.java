package dev.nightjar.train;

import dev.nightjar.model.Network;
import org.deeplearning4j.core.loader.DataSetLoader;

import java.util.List;
import java.util.function.IntFunction;

/** Trains a network data-parallel over shard records, one segment at a time. */
public interface DistributedTrainer {

    /**
     * @param net       the network to train; it is updated in place and returned
     * @param records   training paths, one shard record (minibatch) each
     * @param batchSize examples per record
     * @param loaders   the record loader for each epoch (augmentation is seeded per epoch)
     * @param listener  called on the driver after every segment and at the end of every epoch
     */
    Network train(Network net, List<String> records, int batchSize,
                            IntFunction<DataSetLoader> loaders, TrainingListener listener, Start start);

    /** Trains from the first segment of the first epoch. */
    default Network train(Network net, List<String> records, int batchSize,
                                    IntFunction<DataSetLoader> loaders, TrainingListener listener) {
        return train(net, records, batchSize, loaders, listener, Start.BEGIN);
    }

    /**
     * Where a run starts: the next segment to train and the examples already seen (a resumed run
     * starts where its checkpoint's cursor points).
     */
    record Start(int epoch, int segment, long examplesSeen) {
        public static final Start BEGIN = new Start(0, 0, 0);
    }
}
