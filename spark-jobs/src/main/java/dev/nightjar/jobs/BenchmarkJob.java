package dev.nightjar.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.nightjar.data.RecordLoaders;
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

import java.util.ArrayList;
import java.util.List;

/**
 * {@code nightjar benchmark}: trains the model the dataset calls for on the same records twice,
 * in one process (plain fit, all cores) and with parameter averaging on Spark, and reports
 * examples/s (and tokens/s for text). The first segment of each run is a warm-up and is left out of the rate.
 */
public final class BenchmarkJob {

    /**
     * @param name              single-process or spark
     * @param examplesPerSecond excludes the warm-up segment
     * @param tokensPerSecond   examples/s x sequence length (text), else equal to examples/s
     * @param finalLoss         the last segment's normalised training loss
     */
    public record Run(String name, int threads, long examples, double seconds, double examplesPerSecond, double tokensPerSecond,
                      double finalLoss) {
    }

    private BenchmarkJob() {
    }

    public static List<Run> run(Config c, String dataDir, int records, JavaSparkContext sc) {
        // one pass over the chosen records
        Config once = c.withValue("train.epochs", ConfigValueFactory.fromAnyRef(1));
        TrainConfig tc = TrainConfig.from(once);
        TrainJob.Plan plan = TrainJob.plan(new TrainJob.Options(once, dataDir, null, false), tc, sc);
        List<String> chosen = SegmentPlan.segments(plan.records(), 1, -1, Math.min(records, plan.records().size())).get(0);
        int cores = Runtime.getRuntime().availableProcessors();
        List<Run> runs = new ArrayList<>();
        runs.add(time("single-process", cores, new SingleProcessTrainer(tc), plan, tc, chosen));
        runs.add(time("spark " + sc.master() + ", " + tc.workers() + " workers", tc.effectiveThreads(),
                new ParameterAveragingTrainer(sc, tc), plan, tc, chosen));
        return runs;
    }

    private static Run time(String name, int threads, DistributedTrainer trainer, TrainJob.Plan p, TrainConfig tc, List<String> records) {
        NativeTuning.apply(threads);
        List<SegmentMetrics> segs = new ArrayList<>();
        Network net = p.setup().create();
        InputEncoding input = p.family().input(net);
        trainer.train(net, records, p.manifest().batchSize(),
                epoch -> RecordLoaders.training(input, p.info(), tc.augmentation(), tc.seed(), epoch, tc.effectiveThreads()),
                raw -> segs.add(RunListener.normalise(raw, p.family().metrics(), p.setup())));
        List<SegmentMetrics> timed = segs.size() > 1 ? segs.subList(1, segs.size()) : segs;
        long examples = timed.get(timed.size() - 1).examplesSeen() - (segs.size() > 1 ? segs.get(0).examplesSeen() : 0);
        double seconds = timed.stream().mapToDouble(SegmentMetrics::wallSeconds).sum();
        return new Run(name, threads, examples, seconds, examples / seconds, examples * p.setup().unitsPerExample() / seconds,
                segs.get(segs.size() - 1).trainLoss());
    }
}
