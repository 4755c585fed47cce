package dev.nightjar.train;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.image.ImagePrep;
import dev.nightjar.data.image.ImageRecordLoader;
import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.Network;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.storage.Checkpoints;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.testing.SyntheticImages;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterAveragingTrainerTest {
    @TempDir
    static Path tmp;
    static String dataset;
    static Manifest manifest;

    @BeforeAll
    static void prepare() throws Exception {
        NativeTuning.apply(1);
        Path images = SyntheticImages.writeIdx(tmp, "synth", 640, 16, 4, 11);
        dataset = tmp.resolve("ds").toUri().toString();
        new ImagePrep(SharedSpark.get()).run(new ImagePrep.Options(images.toString(), dataset, false, 0.0, 5,
                null, 16, 100_000, null, false));
        manifest = Manifest.read(dataset, SharedSpark.get().hadoopConfiguration());
    }

    private static Config config(String... sets) {
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets)));
    }

    private static Network freshNet(Config c) {
        return Network.of(ImageClassifiers.create(ImageModelConfig.from(c), manifest.shape(), manifest.numClasses(), 1));
    }

    /**
     * A run killed after a checkpoint and resumed from it ends where an uninterrupted run ends: the
     * same examples seen and the same weights (measured: identical; before each segment got its own
     * seeded training master, DL4J's split of a segment into rounds depended on earlier segments and
     * the weights differed by 0.07).
     */
    @Test
    void aRunResumedFromItsCheckpointEndsLikeAnUninterruptedOne() {
        Config c = config("train.workers=1", "train.averaging-frequency=1", "train.rounds-per-segment=2", "train.epochs=2",
                "train.prefetch=0", "model.learning-rate=0.01", "train.checkpoint-every=2");
        TrainConfig tc = TrainConfig.from(c);
        List<String> records = manifest.recordPaths(dataset, Splits.TRAIN).subList(0, 10);
        ImageRecordLoader images = new ImageRecordLoader(manifest.numClasses(), tc.augmentation(), tc.seed(), 0, 1);
        IntFunction<DataSetLoader> loader = e -> new CountingLoader(images, e);
        List<SegmentMetrics> straight = new ArrayList<>();
        CountingLoader.LOADED.clear();
        Network uninterrupted = new ParameterAveragingTrainer(SharedSpark.get(), tc)
                .train(freshNet(c), records, 16, loader, straight::add);
        assertEachRecordOncePerEpoch(records, 2, new ArrayList<>(CountingLoader.LOADED));
        CountingLoader.LOADED.clear();
        Map<String, List<String>> loadedBySegment = new HashMap<>();

        Checkpoints checkpoints = new Checkpoints(tmp.resolve("resume-run").toString(), SharedSpark.get().hadoopConfiguration(), 2);
        PlanFingerprint plan = PlanFingerprint.of(tc, manifest.contentHash(), List.of(), records);
        RuntimeException killed = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () ->
                new ParameterAveragingTrainer(SharedSpark.get(), tc).train(freshNet(c), records, 16, loader, new TrainingListener() {
                    @Override
                    public void checkpoint(int nextEpoch, int nextSegment, long seen, Network net) {
                        checkpoints.write(net, nextEpoch, nextSegment, seen, plan);
                    }

                    @Override
                    public void segment(SegmentMetrics m) {
                        loadedBySegment.put(m.epoch() + "/" + m.segment(), new ArrayList<>(CountingLoader.LOADED));
                        CountingLoader.LOADED.clear();
                        if (m.epoch() == 0 && m.segment() == 2) {
                            throw new RuntimeException("killed after segment 3 of epoch 1, one segment past the checkpoint");
                        }
                    }
                }));
        assertTrue(killed.getMessage().startsWith("killed"));
        Checkpoints.Checkpoint ckpt = checkpoints.latestValid();
        assertEquals(new Checkpoints.Cursor(0, 2, 4 * 16, tc.seed(), ckpt.cursor().modelSha256(), plan), ckpt.cursor(),
                "the newest checkpoint is after segment 2 (every 2 segments)");
        List<SegmentMetrics> rest = new ArrayList<>();
        Network resumed = new ParameterAveragingTrainer(SharedSpark.get(), tc).train(ckpt.network(), records, 16, loader,
                rest::add, new DistributedTrainer.Start(0, 2, ckpt.cursor().examplesSeen()));
        // the weights that survive: segments 1-2 before the checkpoint, then the resumed run; segment 3's first
        // training died with the process and counts for nothing
        List<String> lineage = new ArrayList<>(loadedBySegment.get("0/0"));
        lineage.addAll(loadedBySegment.get("0/1"));
        lineage.addAll(CountingLoader.LOADED);
        assertEachRecordOncePerEpoch(records, 2, lineage);

        assertEquals(straight.get(straight.size() - 1).examplesSeen(), rest.get(rest.size() - 1).examplesSeen(), "examples seen");
        assertEquals(straight.subList(2, straight.size()).stream().map(m -> m.epoch() + "/" + m.segment()).toList(),
                rest.stream().map(m -> m.epoch() + "/" + m.segment()).toList(), "the resumed run trains exactly the remaining segments");
        double maxDiff = Transforms.abs(uninterrupted.params().sub(resumed.params())).maxNumber().doubleValue();
        assertTrue(maxDiff < 1e-6, "parameters differ by " + maxDiff);
    }

    /**
     * With two workers and record counts that divide into nothing (23 records, rounds of 4,
     * segments of 12), every record is still trained once per epoch: DL4J alone dropped some.
     */
    @Test
    void everyRecordIsTrainedOncePerEpochWhateverTheCounts() {
        Config c = config("train.workers=2", "train.averaging-frequency=2", "train.rounds-per-segment=3", "train.epochs=2",
                "train.prefetch=1", "train.checkpoint-every=0");
        TrainConfig tc = TrainConfig.from(c);
        List<String> records = manifest.recordPaths(dataset, Splits.TRAIN).subList(0, 23);
        ImageRecordLoader images = new ImageRecordLoader(manifest.numClasses(), tc.augmentation(), tc.seed(), 0, 1);
        List<SegmentMetrics> metrics = new ArrayList<>();
        CountingLoader.LOADED.clear();
        new ParameterAveragingTrainer(SharedSpark.get(), tc).train(freshNet(c), records, 16, e -> new CountingLoader(images, e), metrics::add);
        assertEachRecordOncePerEpoch(records, 2, new ArrayList<>(CountingLoader.LOADED));
        assertEquals(2L * 23 * 16, metrics.get(metrics.size() - 1).examplesSeen(), "examples seen");
    }

    /**
     * Each averaging round's workers get the records of the plan as it was made before record indices
     * replaced a copy of every path (SegmentPlanTest.reference): the same records, in the same order, in
     * the same partitions, so the same weights. A round costs one Spark job (DL4J's count of the paths
     * is not run), and nothing a round cached is left behind.
     */
    @Test
    void eachRoundTrainsThePlansRecordsInOrderInOneJobAndLeavesNothingCached() throws Exception {
        Config c = config("train.workers=2", "train.averaging-frequency=2", "train.rounds-per-segment=3", "train.epochs=2",
                "train.prefetch=0", "train.checkpoint-every=0", "train.max-records=23");
        TrainConfig tc = TrainConfig.from(c);
        List<String> all = manifest.recordPaths(dataset, Splits.TRAIN);
        List<String> records = SegmentPlan.segments(all, tc.seed(), -1, tc.maxRecords()).get(0);
        // the reference: every path as a string, shuffled with Collections.shuffle, rounds of 4 sliced over partitions as Spark slices
        List<String> picked = SegmentPlanTest.reference(new ArrayList<>(all), tc.seed(), -1, tc.maxRecords()).get(0);
        List<List<List<String>>> expected = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            for (List<String> segment : SegmentPlanTest.reference(picked, tc.seed(), e, tc.recordsPerSegment())) {
                for (int r = 0; r < segment.size(); r += 4) {
                    List<String> round = segment.subList(r, Math.min(segment.size(), r + 4));
                    int parts = (round.size() + 1) / 2;
                    List<List<String>> partitions = new ArrayList<>();
                    for (int p = 0; p < parts; p++) {
                        partitions.add(round.subList(p * round.size() / parts, (p + 1) * round.size() / parts));
                    }
                    expected.add(partitions);
                }
            }
        }
        ImageRecordLoader images = new ImageRecordLoader(manifest.numClasses(), tc.augmentation(), tc.seed(), 0, 1);
        JobCounter jobs = new JobCounter();
        org.apache.spark.api.java.JavaSparkContext sc = SharedSpark.get();
        int before = sc.emptyRDD().id();
        PartitionLoader.LOADED.clear();
        sc.sc().addSparkListener(jobs);
        try {
            new ParameterAveragingTrainer(sc, tc).train(freshNet(c), records, 16, e -> new PartitionLoader(images), m -> { });
            sc.sc().listenerBus().waitUntilEmpty();
        } finally {
            sc.sc().removeSparkListener(jobs);
        }
        java.util.TreeMap<Integer, java.util.TreeMap<Integer, List<String>>> byRound = new java.util.TreeMap<>();
        for (String[] l : PartitionLoader.LOADED) {
            byRound.computeIfAbsent(Integer.parseInt(l[0]), k -> new java.util.TreeMap<>())
                    .computeIfAbsent(Integer.parseInt(l[1]), k -> new ArrayList<>()).add(l[2]);
        }
        List<List<List<String>>> actual = byRound.values().stream().map(m -> List.copyOf(m.values())).toList();
        assertEquals(expected, actual, "records per round and partition, in order");
        assertEquals(expected.size(), jobs.started.get(), "Spark jobs: one per averaging round (" + expected.size() + " rounds)");
        assertEquals(List.of(), sc.getPersistentRDDs().keySet().stream().filter(id -> id > before).toList(), "RDDs left cached");
    }

    static final class JobCounter extends org.apache.spark.scheduler.SparkListener {
        final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart jobStart) {
            started.incrementAndGet();
        }
    }

    /** Notes (stage, partition, record) for each record a worker loads, in the task's thread (prefetch 0). */
    static final class PartitionLoader implements DataSetLoader {
        private static final long serialVersionUID = 1L;

        static final List<String[]> LOADED = java.util.Collections.synchronizedList(new ArrayList<>());
        private final DataSetLoader inner;

        PartitionLoader(DataSetLoader inner) {
            this.inner = inner;
        }

        @Override
        public org.nd4j.linalg.dataset.DataSet load(org.nd4j.common.loader.Source source) throws java.io.IOException {
            org.apache.spark.TaskContext t = org.apache.spark.TaskContext.get();
            LOADED.add(new String[] {String.valueOf(t.stageId()), String.valueOf(t.partitionId()), source.getPath()});
            return inner.load(source);
        }
    }

    private static void assertEachRecordOncePerEpoch(List<String> records, int epochs, List<String> loaded) {
        for (int e = 0; e < epochs; e++) {
            String prefix = e + " ";
            List<String> epoch = loaded.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).sorted().toList();
            assertEquals(records.stream().sorted().toList(), epoch, "records trained in epoch " + (e + 1));
        }
    }

    /** Notes each (epoch, record) a worker loads; in local mode the workers run in this JVM. */
    static final class CountingLoader implements DataSetLoader {
        private static final long serialVersionUID = 1L;

        static final List<String> LOADED = java.util.Collections.synchronizedList(new ArrayList<>());
        private final DataSetLoader inner;
        private final int epoch;

        CountingLoader(DataSetLoader inner, int epoch) {
            this.inner = inner;
            this.epoch = epoch;
        }

        @Override
        public org.nd4j.linalg.dataset.DataSet load(org.nd4j.common.loader.Source source) throws java.io.IOException {
            LOADED.add(epoch + " " + source.getPath());
            return inner.load(source);
        }
    }

    @Test
    void sameSeedGivesTheSameModelEvenWithDropout() {
        Config c = config("train.workers=2", "train.averaging-frequency=2", "model.dropout=0.3", "train.max-records=16");
        TrainConfig tc = TrainConfig.from(c);
        List<String> records = manifest.recordPaths(dataset, Splits.TRAIN).subList(0, 16);
        INDArray[] params = new INDArray[2];
        for (int run = 0; run < 2; run++) {
            params[run] = new ParameterAveragingTrainer(SharedSpark.get(), tc).train(freshNet(c), records, 16,
                    e -> new ImageRecordLoader(manifest.numClasses(), tc.augmentation(), tc.seed(), e, 1), m -> { }).params();
        }
        assertEquals(params[0], params[1], "two runs with one seed end on the same weights");
    }

    @Test
    void twoWorkersOnLocal2ReduceTheTrainingLoss() {
        Config c = config("train.workers=2", "train.averaging-frequency=2", "train.rounds-per-segment=2",
                "train.epochs=2", "model.learning-rate=0.003");
        TrainConfig tc = TrainConfig.from(c);
        List<String> records = manifest.recordPaths(dataset, Splits.TRAIN);
        List<SegmentMetrics> metrics = new ArrayList<>();
        new ParameterAveragingTrainer(SharedSpark.get(), tc).train(freshNet(c), records, 16,
                e -> new ImageRecordLoader(manifest.numClasses(), tc.augmentation(), tc.seed(), e, 1), metrics::add);

        assertEquals(2 * 640, metrics.get(metrics.size() - 1).examplesSeen(), "every record trained once per epoch");
        double first = metrics.get(0).trainLoss();
        double last = metrics.get(metrics.size() - 1).trainLoss();
        assertTrue(last < 0.5 * first, "loss fell from " + first + " to " + last);
        assertEquals(1, metrics.get(metrics.size() - 1).epoch());
        assertTrue(metrics.stream().allMatch(m -> m.examplesPerSecond() > 0 && m.trainSeconds() > 0 && m.wallSeconds() >= m.trainSeconds()));
    }
}
