package dev.nightjar.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.nightjar.data.RecordLoaders;
import dev.nightjar.data.shard.PathSource;
import dev.nightjar.model.Flops;
import dev.nightjar.model.Network;
import dev.nightjar.model.family.InputEncoding;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.train.DistributedTrainer;
import dev.nightjar.train.ParameterAveragingTrainer;
import dev.nightjar.train.RunListener;
import dev.nightjar.train.SegmentMetrics;
import dev.nightjar.train.SegmentPlan;
import dev.nightjar.train.SingleProcessTrainer;
import dev.nightjar.train.TrainConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nightjar benchmark}: trains the model the dataset calls for on the same records twice,
 * in one process (plain fit, all cores) and with parameter averaging on Spark, and reports
 * examples/s (and tokens/s for text), the share of each segment spent outside {@code fit}, and the
 * work per example in FLOPs ({@link Flops}). The first segment of each run is a warm-up and is left out of the rate.
 */
public final class BenchmarkJob {

    /**
     * @param name              single-process or spark
     * @param examplesPerSecond excludes the warm-up segment
     * @param tokensPerSecond   examples/s x sequence length (text), else equal to examples/s
     * @param finalLoss         the last segment's normalised training loss
     * @param averagingSeconds  wall time outside the workers' {@code fit} in the timed segments: on Spark broadcast,
     *                          loading, averaging and scheduling; in one process loading
     * @param averagingShare    averagingSeconds over the timed wall time
     * @param gflopsPerSecond   examples/s x the workload's training FLOPs per example, in 10^9
     */
    public record Run(String name, int threads, long examples, double seconds, double examplesPerSecond, double tokensPerSecond,
                      double finalLoss, double averagingSeconds, double averagingShare, double gflopsPerSecond) {
    }

    /**
     * What one pass over the benchmarked records computes.
     *
     * @param family                  the model family trained
     * @param parameters              the network's parameters
     * @param records                 shard records (minibatches) benchmarked
     * @param examples                examples in them
     * @param timeStepsPerExample     mean time steps of an example's features as trained (padded to the longest in its
     *                                minibatch); 0 for images
     * @param trainingFlopsPerExample mean FLOPs of one example's forward and backward pass ({@link Flops#training})
     */
    public record Workload(String family, long parameters, long records, long examples, double timeStepsPerExample,
                           double trainingFlopsPerExample) {
    }

    /** The workload and both runs: what {@code --output} writes. */
    public record Result(Workload workload, List<Run> runs) {
    }

    private BenchmarkJob() {
    }

    public static Result run(Config c, String dataDir, int records, JavaSparkContext sc) {
        // one pass over the chosen records
        Config once = c.withValue("train.epochs", ConfigValueFactory.fromAnyRef(1));
        TrainConfig tc = TrainConfig.from(once);
        TrainJob.Plan plan = TrainJob.plan(new TrainJob.Options(once, dataDir, null, false), tc, sc);
        List<String> chosen = SegmentPlan.segments(plan.records(), 1, -1, Math.min(records, plan.records().size())).get(0);
        Network probe = plan.setup().create();
        Workload workload = workload(plan.family().name(), probe, loader(plan, tc, probe), chosen);
        int cores = Runtime.getRuntime().availableProcessors();
        List<Run> runs = new ArrayList<>();
        runs.add(time("single-process", cores, new SingleProcessTrainer(tc), plan, tc, chosen, workload));
        runs.add(time("spark " + sc.master() + ", " + tc.workers() + " workers", tc.effectiveThreads(),
                new ParameterAveragingTrainer(sc, tc), plan, tc, chosen, workload));
        return new Result(workload, runs);
    }

    private static DataSetLoader loader(TrainJob.Plan p, TrainConfig tc, Network net) {
        InputEncoding input = p.family().input(net);
        return RecordLoaders.training(input, p.info(), tc.augmentation(), tc.seed(), 0, tc.effectiveThreads());
    }

    /**
     * Loads each record as training does and counts its FLOPs from its features' shape: exact for text, whose
     * minibatches are padded to their longest document. One forward pass of one example per distinct shape.
     */
    static Workload workload(String family, Network net, DataSetLoader loader, List<String> records) {
        Map<String, Long> perShape = new HashMap<>();
        long examples = 0;
        double flops = 0;
        double steps = 0;
        for (String path : records) {
            INDArray features;
            try {
                features = loader.load(new PathSource(path)).getFeatures();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load " + path, e);
            }
            long n = features.size(0);
            long[] example = Arrays.copyOfRange(features.shape(), 1, features.rank());
            long perExample = perShape.computeIfAbsent(Arrays.toString(example), k -> Flops.training(net, example));
            examples += n;
            flops += (double) perExample * n;
            steps += features.rank() == 3 ? (double) features.size(2) * n : 0;
        }
        return new Workload(family, net.numParams(), records.size(), examples, examples == 0 ? 0 : steps / examples,
                examples == 0 ? 0 : flops / examples);
    }

    private static Run time(String name, int threads, DistributedTrainer trainer, TrainJob.Plan p, TrainConfig tc, List<String> records,
                            Workload workload) {
        NativeTuning.apply(threads);
        List<SegmentMetrics> segs = new ArrayList<>();
        Network net = p.setup().create();
        InputEncoding input = p.family().input(net);
        trainer.train(net, records, p.manifest().batchSize(),
                epoch -> RecordLoaders.training(input, p.info(), tc.augmentation(), tc.seed(), epoch, tc.effectiveThreads()),
                raw -> segs.add(RunListener.normalise(raw, p.family().metrics(), p.setup())));
        return summarise(name, threads, segs, p.setup().unitsPerExample(), workload.trainingFlopsPerExample());
    }

    /** The rates of a run from its segments, the first left out as warm-up when there are more. */
    static Run summarise(String name, int threads, List<SegmentMetrics> segs, long unitsPerExample, double flopsPerExample) {
        List<SegmentMetrics> timed = segs.size() > 1 ? segs.subList(1, segs.size()) : segs;
        long examples = timed.get(timed.size() - 1).examplesSeen() - (segs.size() > 1 ? segs.get(0).examplesSeen() : 0);
        double seconds = timed.stream().mapToDouble(SegmentMetrics::wallSeconds).sum();
        double outside = timed.stream().mapToDouble(SegmentMetrics::averagingSeconds).sum();
        double perSecond = examples / seconds;
        return new Run(name, threads, examples, seconds, perSecond, perSecond * unitsPerExample, segs.get(segs.size() - 1).trainLoss(),
                outside, outside / seconds, perSecond * flopsPerExample / 1e9);
    }
}
