package dev.nightjar.train;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.data.image.Augmentation;

/**
 * Typed, validated {@code train.*} section.
 *
 * @param epochs             passes over the training split
 * @param workers            parameter-averaging workers (Spark partitions per round)
 * @param averagingFrequency minibatches each worker fits between averagings
 * @param roundsPerSegment   averaging rounds per segment (one fitPaths call, one metrics line)
 * @param maxRecords         records per epoch to train on, 0 = all
 * @param prefetch           minibatches a worker loads ahead
 * @param threadsPerWorker   ND4J threads per worker, 0 = cores / workers
 * @param validateEveryEpoch evaluate the validation split after every epoch (always after the last)
 * @param keepBest           keep the weights of the best validated epoch, not the last epoch's
 * @param logIntervalSeconds seconds between progress lines off a terminal
 * @param lockStaleSeconds   a run lock whose heartbeat is older than this is taken over
 * @param checkpointEvery    segments between checkpoints (and one at the end of every epoch); 0 = none
 * @param checkpointKeep     checkpoints kept, newest first
 * @param injectFault        testing: the first attempt of one training task fails (train.inject-fault = first-attempt)
 * @param augmentation       loader-side augmentation
 * @param seed               shard-order and augmentation seed
 */
public record TrainConfig(int epochs, int workers, int averagingFrequency, int roundsPerSegment, int maxRecords, int prefetch,
                          int threadsPerWorker, boolean validateEveryEpoch, boolean keepBest, int logIntervalSeconds, int lockStaleSeconds, int checkpointEvery, int checkpointKeep, boolean injectFault,
                          Augmentation augmentation, long seed)
        implements java.io.Serializable {

    public static TrainConfig from(Config c) {
        return new TrainConfig(
                Configs.intIn(c, "train.epochs", 1, 100_000),
                Configs.intIn(c, "train.workers", 1, 100_000),
                Configs.intIn(c, "train.averaging-frequency", 1, 100_000),
                Configs.intIn(c, "train.rounds-per-segment", 1, 100_000),
                Configs.intIn(c, "train.max-records", 0, Integer.MAX_VALUE),
                Configs.intIn(c, "train.prefetch", 0, 1000),
                Configs.intIn(c, "train.threads-per-worker", 0, 1024),
                Configs.bool(c, "train.validate-every-epoch"),
                Configs.bool(c, "train.keep-best"),
                Configs.intIn(c, "train.log-interval-seconds", 1, 86_400),
                Configs.intIn(c, "train.lock-stale-seconds", 4, 86_400),
                Configs.intIn(c, "train.checkpoint-every", 0, 1_000_000),
                Configs.intIn(c, "train.checkpoint-keep", 1, 1000),
                Configs.oneOf(c, "train.inject-fault", "none", "first-attempt").equals("first-attempt"),
                new Augmentation(Configs.bool(c, "train.augment.enabled"),
                        Configs.intIn(c, "train.augment.crop-padding", 0, 64),
                        Configs.bool(c, "train.augment.flip")),
                c.getLong("seed"));
    }

    /** ND4J threads for each worker: all cores shared among the workers of one machine. */
    public int effectiveThreads() {
        if (threadsPerWorker > 0) {
            return threadsPerWorker;
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    }

    /** Whether a checkpoint follows segment {@code s} of an epoch of {@code n}. */
    public boolean checkpointDue(int s, int n) {
        return checkpointEvery > 0 && ((s + 1) % checkpointEvery == 0 || s == n - 1);
    }

    public int recordsPerSegment() {
        return workers * averagingFrequency * roundsPerSegment;
    }
}
