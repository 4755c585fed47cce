package dev.nightjar.train;

import dev.nightjar.model.Network;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * DL4J's parameter averaging, walked in segments: each epoch shuffles the record order by seed
 * and cuts it into segments of {@code workers x averaging-frequency x rounds-per-segment} records
 * (the unit of metrics and checkpoints); each averaging round of a segment is one {@code fitPaths}
 * call, contiguous slices of it go to the workers, and every record is trained exactly once per epoch.
 */
public final class ParameterAveragingTrainer implements DistributedTrainer {
    private final JavaSparkContext sc;
    private final TrainConfig cfg;

    public ParameterAveragingTrainer(JavaSparkContext sc, TrainConfig cfg) {
        this.sc = sc;
        this.cfg = cfg;
    }

    @Override
    public Network train(Network net, List<String> records, int batchSize,
                                   IntFunction<DataSetLoader> loaders, TrainingListener listener, Start start) {
        WorkerStatsHook hook = new WorkerStatsHook(sc.sc().doubleAccumulator("loss"), sc.sc().longAccumulator("minibatches"),
                sc.sc().longAccumulator("examples"), sc.sc().longAccumulator("fitNanos"));
        Network current = net;
        long seen = start.examplesSeen();
        for (int epoch = start.epoch(); epoch < cfg.epochs(); epoch++) {
            List<List<String>> segments = SegmentPlan.segments(records, cfg.seed(), epoch, cfg.recordsPerSegment());
            DataSetLoader loader = loaders.apply(epoch);
            current = listener.beforeEpoch(epoch, current);
            for (int s = epoch == start.epoch() ? start.segment() : 0; s < segments.size(); s++) {
                // a training master per segment, seeded by (seed, epoch, segment): how DL4J splits a segment into
                // averaging rounds then depends on nothing before it, so a run resumed at a segment trains it alike
                RoundTrainingMaster master = master(batchSize, hook, epoch, s);
                SparkNetwork sparkNet = SparkNetwork.of(sc, current, master);
                List<String> segment = segments.get(s);
                sparkNet.network().setEpochCount(epoch);
                double lr = sparkNet.network().learningRate();
                hook.reset();
                long t0 = System.nanoTime();
                // averaging divides a sum by the workers: exact for 1 or 2 ((a + a) / 2 = a), not for 3 and more
                java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> frozen = cfg.workers() > 2 ? current.frozenParams() : java.util.Map.of();
                for (List<String> round : rounds(segment)) {
                    // fitPaths bumps the epoch counter per call; epoch-based schedules need the real epoch
                    sparkNet.network().setEpochCount(epoch);
                    JavaRDD<String> paths = round(round);
                    master.expect(round.size());
                    sparkNet.fitPaths(paths, loader);
                    sparkNet.network().restoreFrozen(frozen); // averaging's rounding must not move them
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                long n = hook.examples();
                seen += n;
                double train = hook.fitSeconds() / Math.min(cfg.workers(), segment.size());
                java.util.Map<String, Double> val = s == segments.size() - 1 ? listener.validate(epoch, sparkNet.network()) : null;
                listener.segment(new SegmentMetrics(epoch, s, segments.size(), seen, hook.meanLoss(), null, lr, n / wall,
                        train, Math.max(0, wall - train), wall, val));
                current = sparkNet.network();
                if (cfg.checkpointDue(s, segments.size())) {
                    boolean last = s == segments.size() - 1;
                    listener.checkpoint(last ? epoch + 1 : epoch, last ? 0 : s + 1, seen, current);
                }
            }
        }
        current.setEpochCount(cfg.epochs());
        return current;
    }

    /** A segment cut into averaging rounds of at most workers x averaging-frequency records, in order. */
    private List<List<String>> rounds(List<String> segment) {
        int size = cfg.workers() * cfg.averagingFrequency();
        List<List<String>> rounds = new ArrayList<>();
        for (int i = 0; i < segment.size(); i += size) {
            rounds.add(segment.subList(i, Math.min(segment.size(), i + size)));
        }
        return rounds;
    }

    /**
     * One averaging round as one fitPaths call, in partitions of at most averaging-frequency
     * records. DL4J caps each worker at averaging-frequency minibatches per round and silently
     * drops the rest; left to split a longer list into rounds itself, it deals records to rounds at
     * random and a worker can get one too many (measured: 8 of 293 examples per epoch lost).
     */
    private JavaRDD<String> round(List<String> records) {
        // the round's paths are made here, and only the round's: the plan holds record indices
        return sc.parallelize(new ArrayList<>(records), (records.size() + cfg.averagingFrequency() - 1) / cfg.averagingFrequency())
                .mapPartitions(new PinToTaskGpu(), true);
    }

    private RoundTrainingMaster master(int batchSize, WorkerStatsHook hook, int epoch, int segment) {
        return new RoundTrainingMaster(new ParameterAveragingTrainingMaster.Builder(cfg.workers(), batchSize)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(cfg.averagingFrequency())
                .workerPrefetchNumBatches(cfg.prefetch())
                // DL4J's default is false despite its docs: updater state (Adam moments) would not be averaged
                .saveUpdater(true)
                // keep each worker's slice in order; the trainer shuffles the records itself
                .repartionData(Repartition.Never)
                // the trainer tells the master each round's size (RoundTrainingMaster): nothing to count, so nothing
                // to cache for the count (DL4J's default caches every round's paths until a driver GC releases them)
                .storageLevelStreams(null)
                .rngSeed(cfg.seed() * 1_000_003L + epoch * 100_003L + segment)
                .trainingHooks(cfg.injectFault() && epoch == 0 && segment == 0
                        ? new TrainingHook[] {hook, new WorkerSeedHook(cfg.seed()), new FaultInjectingHook()}
                        : new TrainingHook[] {hook, new WorkerSeedHook(cfg.seed())}));
    }
}
