package dev.nightjar.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.image.ImageRecordLoader;
import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.train.DistributedTrainer;
import dev.nightjar.train.ParameterAveragingTrainer;
import dev.nightjar.train.SegmentMetrics;
import dev.nightjar.train.SegmentPlan;
import dev.nightjar.train.SingleProcessTrainer;
import dev.nightjar.train.TrainConfig;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code nightjar benchmark}: trains the configured model on the same records twice, in one
 * process (plain fit, all cores) and with parameter averaging on Spark, and reports examples/s.
 * The first segment of each run is a warm-up and is left out of the rate.
 */
public final class BenchmarkJob {

    /** @param name single-process or spark; examplesPerSecond excludes the warm-up segment. */
    public record Run(String name, int threads, long examples, double seconds, double examplesPerSecond, double finalLoss) {
    }

    private BenchmarkJob() {
    }

    public static List<Run> run(Config c, String dataDir, int records, JavaSparkContext sc) {
        String data = HadoopFiles.qualify(dataDir, sc.hadoopConfiguration());
        Manifest m = Manifest.read(data, sc.hadoopConfiguration());
        List<String> all = m.recordPaths(data, Splits.TRAIN);
        if (all.isEmpty()) {
            throw new UserException("benchmark needs a dataset with a train split: " + dataDir);
        }
        List<String> chosen = SegmentPlan.segments(all, 1, -1, Math.min(records, all.size())).get(0);
        ImageModelConfig model = ImageModelConfig.from(c);
        // one pass over the chosen records
        TrainConfig tc = TrainConfig.from(c.withValue("train.epochs", ConfigValueFactory.fromAnyRef(1)));
        int cores = Runtime.getRuntime().availableProcessors();
        List<Run> runs = new ArrayList<>();
        runs.add(time("single-process", cores, new SingleProcessTrainer(tc), model, tc, m, chosen));
        runs.add(time("spark " + sc.master() + ", " + tc.workers() + " workers", tc.effectiveThreads(),
                new ParameterAveragingTrainer(sc, tc), model, tc, m, chosen));
        return runs;
    }

    private static Run time(String name, int threads, DistributedTrainer trainer, ImageModelConfig model, TrainConfig tc,
                            Manifest m, List<String> records) {
        NativeTuning.apply(threads);
        List<SegmentMetrics> segs = new ArrayList<>();
        trainer.train(ImageClassifiers.create(model, m.shape(), m.numClasses(), tc.epochs()), records, m.batchSize(),
                e -> new ImageRecordLoader(m.numClasses(), tc.augmentation(), tc.seed(), e, threads), segs::add);
        List<SegmentMetrics> timed = segs.size() > 1 ? segs.subList(1, segs.size()) : segs;
        long examples = timed.get(timed.size() - 1).examplesSeen() - (segs.size() > 1 ? segs.get(0).examplesSeen() : 0);
        double seconds = timed.stream().mapToDouble(SegmentMetrics::wallSeconds).sum();
        return new Run(name, threads, examples, seconds, examples / seconds, segs.get(segs.size() - 1).trainLoss());
    }
}
