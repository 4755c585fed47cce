package dev.nightjar.train;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;
import dev.nightjar.data.image.Augmentation;

import java.util.List;

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
    public static final Setting<Integer> EPOCHS = Setting.intIn("train.epochs", 1, 1, 100_000,
            "Passes over the training split.");
    public static final Setting<Integer> WORKERS = Setting.intIn("train.workers", 2, 1, 100_000,
            "Parameter-averaging workers: Spark partitions per averaging round.");
    public static final Setting<Integer> AVERAGING_FREQUENCY = Setting.intIn("train.averaging-frequency", 5, 1, 100_000,
            "Minibatches each worker fits between two averagings.");
    public static final Setting<Integer> ROUNDS_PER_SEGMENT = Setting.intIn("train.rounds-per-segment", 4, 1, 100_000,
            "Averaging rounds per segment (one fitPaths call = one line of metrics.jsonl).");
    public static final Setting<Integer> PREFETCH = Setting.intIn("train.prefetch", 2, 0, 1000,
            "Minibatches a worker loads ahead of training.");
    public static final Setting<Integer> MAX_RECORDS = Setting.intIn("train.max-records", 0, 0, Integer.MAX_VALUE,
            "Train on at most this many shard records (minibatches) per epoch; 0 = all. A seeded subset, the same every epoch.");
    public static final Setting<Integer> THREADS_PER_WORKER = Setting.intIn("train.threads-per-worker", 0, 0, 1024,
            "ND4J OpenMP threads in each worker; 0 = cores / workers (at least 1).");
    public static final Setting<Boolean> VALIDATE_EVERY_EPOCH = Setting.bool("train.validate-every-epoch", true,
            "Evaluate the validation split after every epoch (it is always evaluated after the last).");
    public static final Setting<Boolean> KEEP_BEST = Setting.bool("train.keep-best", false,
            "Keep the weights of the epoch with the best validation metric (early stopping), not the last epoch's; needs "
                    + "validate-every-epoch and a validation split.");
    public static final Setting<Integer> LOG_INTERVAL_SECONDS = Setting.intIn("train.log-interval-seconds", 10, 1, 86_400,
            "Seconds between log lines when the console is not a terminal.");
    public static final Setting<Integer> LOCK_STALE_SECONDS = Setting.intIn("train.lock-stale-seconds", 300, 4, 86_400,
            "A job holds RUN_DIR/.nightjar.lock and refreshes it every quarter of this; a lock not refreshed for this long "
                    + "(or whose process on this host is gone) is taken over with a warning.");
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.intIn("train.checkpoint-every", 10, 0, 1_000_000,
            "Segments between checkpoints in RUN_DIR/checkpoints (there is also one at the end of every epoch); 0 = none. "
                    + "train on a run directory with checkpoints resumes from the newest valid one.");
    public static final Setting<Integer> CHECKPOINT_KEEP = Setting.intIn("train.checkpoint-keep", 3, 1, 1000,
            "Checkpoints kept, newest first.");
    public static final Setting<String> INJECT_FAULT = Setting.oneOf("train.inject-fault", "none", List.of("none", "first-attempt"),
            "Testing only: first-attempt makes the first attempt of one training task fail, to prove that Spark's task "
                    + "retries (local[N,F], spark.task.maxFailures) carry training through; none in production.");
    public static final Setting<Boolean> AUGMENT = Setting.bool("train.augment.enabled", false,
            "Augment image minibatches as executors load them (the transforms below, in this order: flips, rotation, shift, "
                    + "crop), drawn per image from a seed of (seed, epoch, record), so a rerun trains on the same images.");
    public static final Setting<Boolean> AUGMENT_FLIP = Setting.bool("train.augment.flip", true,
            "Random horizontal flip (half the images).");
    public static final Setting<Boolean> AUGMENT_VERTICAL_FLIP = Setting.bool("train.augment.vertical-flip", false,
            "Random vertical flip (half the images); for images without an up, such as aerial or microscope images.");
    public static final Setting<Double> AUGMENT_ROTATION = Setting.doubleIn("train.augment.rotation", 0, 0, 180,
            "Random rotation by up to this many degrees either way (bilinear, zeros in the corners); 0 = off.");
    public static final Setting<Double> AUGMENT_SHIFT = Setting.doubleIn("train.augment.shift", 0, 0, 0.5,
            "Random shift by up to this share of the width and of the height (whole pixels, edges repeated); 0 = off.");
    public static final Setting<Integer> AUGMENT_CROP_PADDING = Setting.intIn("train.augment.crop-padding", 2, 0, 64,
            "Random crop after zero padding by this many pixels (0 = off).");

    public static final Section SECTION = new Section("train", "distributed training",
            "How nightjar train (and benchmark and the demos) trains: epochs, parameter-averaging workers and segments, "
                    + "validation, checkpoints, the run lock and image augmentation. Shard order and augmentation use the "
                    + "top-level seed.",
            TrainConfig.class, EPOCHS, WORKERS, AVERAGING_FREQUENCY, ROUNDS_PER_SEGMENT, PREFETCH, MAX_RECORDS, THREADS_PER_WORKER,
            VALIDATE_EVERY_EPOCH, KEEP_BEST, LOG_INTERVAL_SECONDS, LOCK_STALE_SECONDS, CHECKPOINT_EVERY, CHECKPOINT_KEEP, INJECT_FAULT,
            AUGMENT, AUGMENT_FLIP, AUGMENT_VERTICAL_FLIP, AUGMENT_ROTATION, AUGMENT_SHIFT, AUGMENT_CROP_PADDING);

    public static TrainConfig from(Config c) {
        return new TrainConfig(
                EPOCHS.get(c),
                WORKERS.get(c),
                AVERAGING_FREQUENCY.get(c),
                ROUNDS_PER_SEGMENT.get(c),
                MAX_RECORDS.get(c),
                PREFETCH.get(c),
                THREADS_PER_WORKER.get(c),
                VALIDATE_EVERY_EPOCH.get(c),
                KEEP_BEST.get(c),
                LOG_INTERVAL_SECONDS.get(c),
                LOCK_STALE_SECONDS.get(c),
                CHECKPOINT_EVERY.get(c),
                CHECKPOINT_KEEP.get(c),
                INJECT_FAULT.get(c).equals("first-attempt"),
                new Augmentation(AUGMENT.get(c), AUGMENT_CROP_PADDING.get(c), AUGMENT_FLIP.get(c), AUGMENT_VERTICAL_FLIP.get(c),
                        AUGMENT_ROTATION.get(c), AUGMENT_SHIFT.get(c)),
                Configs.SEED.get(c));
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
