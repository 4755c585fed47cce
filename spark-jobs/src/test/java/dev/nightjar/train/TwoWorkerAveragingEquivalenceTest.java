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
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.testing.SyntheticImages;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distributed trainer on real local Spark with two workers ends on the same weights as parameter averaging
 * written out by hand in this test: the records shuffled per epoch, cut into rounds of workers x averaging-frequency,
 * each round's records dealt to the workers in contiguous slices, each worker fitting a copy of the averaged model,
 * then parameters and updater state averaged. The same reference with the averaging done wrong (one worker's
 * weights kept, or the updater state dropped), or plain training with no averaging, is far off, so the tolerance
 * can tell.
 */
class TwoWorkerAveragingEquivalenceTest {
    /**
     * Relative to the largest weight. Measured: 1e-7 (one float32 step) for SGD and Adam; a wrong averaging is
     * 2e-2 to 2e-1 off (see the assertions), and so was the trainer with saveUpdater(false) (0.097, Adam) or with
     * DL4J repartitioning the rounds (0.042, SGD).
     */
    private static final double TOLERANCE = 1e-5;

    @TempDir
    static Path tmp;
    static String dataset;
    static Manifest manifest;

    @BeforeAll
    static void prepare() throws Exception {
        NativeTuning.apply(1);
        Path images = SyntheticImages.writeIdx(tmp, "synth", 16 * 16, 16, 4, 23);
        dataset = tmp.resolve("ds").toUri().toString();
        new ImagePrep(SharedSpark.get()).run(new ImagePrep.Options(images.toString(), dataset, false, 0.0, 5,
                null, 16, 100_000, null, false));
        manifest = Manifest.read(dataset, SharedSpark.get().hadoopConfiguration());
    }

    /** Plain SGD: no updater state, so this isolates the parameter averaging and the dealing of records. */
    @Test
    void twoWorkersWithSgdEqualHandWrittenAveraging() {
        assertSparkEqualsHandAveraging("sgd", 0.1);
    }

    /** Adam: its moments must be averaged with the parameters, and its bias correction counts iterations per round. */
    @Test
    void twoWorkersWithAdamEqualHandWrittenAveragingOfParametersAndUpdaterState() {
        assertSparkEqualsHandAveraging("adam", 0.01);
    }

    private static void assertSparkEqualsHandAveraging(String updater, double lr) {
        // 2 workers, 3 minibatches each between averagings, 2 rounds a segment; 16 records an epoch make rounds of
        // 6, 6 and 4 records, the last one dealt 2 + 2
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("train.workers=2",
                "train.averaging-frequency=3", "train.rounds-per-segment=2", "train.epochs=2", "train.checkpoint-every=0",
                "model.updater=" + updater, "model.learning-rate=" + lr, "model.lenet-filters=[4,8]", "model.dense-units=16")));
        TrainConfig tc = TrainConfig.from(c);
        List<String> records = manifest.recordPaths(dataset, Splits.TRAIN).subList(0, 16);
        IntFunction<ImageRecordLoader> loaders = e -> new ImageRecordLoader(manifest.numClasses(), tc.augmentation(), tc.seed(), e, 1);

        List<SegmentMetrics> metrics = new ArrayList<>();
        INDArray spark = new ParameterAveragingTrainer(SharedSpark.get(), tc)
                .train(freshNet(c), records, 16, loaders::apply, metrics::add).params();
        assertEquals(2L * 16 * 16, metrics.get(metrics.size() - 1).examplesSeen(), "examples seen");

        INDArray byHand = handWritten(freshNet(c).multiLayer(), records, tc, loaders, Averaging.PARAMETERS_AND_UPDATER).params();
        double diff = relativeDiff(spark, byHand);
        assertTrue(diff < TOLERANCE, updater + ": Spark and hand-written averaging differ by " + diff + " (relative)");

        // the same check would catch wrong averaging: each of these is far from what the trainer does
        double firstWorker = relativeDiff(spark, handWritten(freshNet(c).multiLayer(), records, tc, loaders, Averaging.FIRST_WORKER_ONLY).params());
        double plain = relativeDiff(spark, plainTraining(freshNet(c).multiLayer(), records, tc, loaders).params());
        assertTrue(firstWorker > 1000 * TOLERANCE, "keeping the first worker's weights differs by only " + firstWorker);
        assertTrue(plain > 1000 * TOLERANCE, "plain training without averaging differs by only " + plain);
        if (updater.equals("adam")) {
            double dropped = relativeDiff(spark, handWritten(freshNet(c).multiLayer(), records, tc, loaders, Averaging.PARAMETERS_ONLY).params());
            assertTrue(dropped > 1000 * TOLERANCE, "dropping Adam's state differs by only " + dropped);
        }
    }

    private static Network freshNet(Config c) {
        return Network.of(ImageClassifiers.create(ImageModelConfig.from(c), manifest.shape(), manifest.numClasses(), 1));
    }

    /** max |a - b| over max |b|. */
    private static double relativeDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b)).maxNumber().doubleValue() / Transforms.abs(b).maxNumber().doubleValue();
    }

    private enum Averaging { PARAMETERS_AND_UPDATER, PARAMETERS_ONLY, FIRST_WORKER_ONLY }

    /**
     * Parameter averaging by hand, in one JVM. Per epoch: shuffle the records with the trainer's seed, cut them into
     * rounds of workers x averaging-frequency records; deal each round to ceil(n / frequency) workers in contiguous
     * slices the way Spark's parallelize slices a list (slice i is [i n / s, (i + 1) n / s)); each worker fits its
     * own copy of the model, updater state included, on its slice in order; then the copies' parameters (and updater
     * state) are averaged into the model, and its iteration count moves on by the averaging frequency, as DL4J's
     * training master counts it.
     */
    private static MultiLayerNetwork handWritten(MultiLayerNetwork net, List<String> records, TrainConfig tc,
                                                 IntFunction<ImageRecordLoader> loaders, Averaging averaging) {
        int k = tc.averagingFrequency();
        for (int epoch = 0; epoch < tc.epochs(); epoch++) {
            ImageRecordLoader loader = loaders.apply(epoch);
            List<String> order = shuffled(records, tc.seed(), epoch);
            for (int r = 0; r < order.size(); r += tc.workers() * k) {
                List<String> round = order.subList(r, Math.min(order.size(), r + tc.workers() * k));
                int slices = (round.size() + k - 1) / k;
                net.setEpochCount(epoch);
                List<MultiLayerNetwork> workers = new ArrayList<>();
                for (int s = 0; s < slices; s++) {
                    MultiLayerNetwork worker = net.clone();
                    if (averaging == Averaging.PARAMETERS_ONLY) {
                        worker.getUpdater().getStateViewArray().assign(0);
                    }
                    for (String path : round.subList(s * round.size() / slices, (s + 1) * round.size() / slices)) {
                        worker.fit(load(loader, path));
                    }
                    workers.add(worker);
                }
                if (averaging == Averaging.FIRST_WORKER_ONLY) {
                    workers = workers.subList(0, 1);
                }
                INDArray params = workers.get(0).params().dup();
                INDArray state = workers.get(0).getUpdater().getStateViewArray();
                state = state == null ? null : state.dup();
                for (MultiLayerNetwork w : workers.subList(1, workers.size())) {
                    params.addi(w.params());
                    if (state != null) {
                        state.addi(w.getUpdater().getStateViewArray());
                    }
                }
                net.setParameters(params.divi(workers.size()));
                if (state != null && averaging != Averaging.PARAMETERS_ONLY) {
                    net.getUpdater().setStateViewArray(net, state.divi(workers.size()), false);
                }
                net.setIterationCount(net.getIterationCount() + k);
            }
        }
        return net;
    }

    /** No averaging at all: one model fits every record in the trainer's order. */
    private static MultiLayerNetwork plainTraining(MultiLayerNetwork net, List<String> records, TrainConfig tc,
                                                   IntFunction<ImageRecordLoader> loaders) {
        for (int epoch = 0; epoch < tc.epochs(); epoch++) {
            ImageRecordLoader loader = loaders.apply(epoch);
            net.setEpochCount(epoch);
            for (String path : shuffled(records, tc.seed(), epoch)) {
                net.fit(load(loader, path));
            }
        }
        return net;
    }

    /** The trainer's per-epoch record order (SegmentPlan), written out again so the reference does not borrow it. */
    private static List<String> shuffled(List<String> records, long seed, int epoch) {
        List<String> order = new ArrayList<>(records);
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order;
    }

    private static org.nd4j.linalg.dataset.DataSet load(ImageRecordLoader loader, String path) {
        try {
            return loader.load(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
