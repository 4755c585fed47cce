package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.data.Splits;
import dev.nightjar.eval.ModelComparison;
import dev.nightjar.storage.Bundles;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;

/**
 * Trains one candidate of a model comparison on a prepared classification dataset: a network
 * ({@link TrainJob}) or the MLlib baseline ({@link BaselineJob}), and says where its bundle is and
 * what the training cost. {@code nightjar compare} trains its candidates with it, once per fold.
 */
public final class Candidates {
    /**
     * One trained candidate.
     *
     * @param candidate         its name and bundle, for {@link ModelComparison}
     * @param family            the model family from the bundle's provenance, or the MLlib pipeline's kind
     * @param initFrom          the bundle it started from, or null
     * @param minutes           training time (the baseline: all of its regularisation strengths)
     * @param examplesPerSecond training throughput; null for the baseline (its fits are not minibatches)
     * @param regParam          the baseline's chosen regularisation; null for a network
     */
    public record Trained(ModelComparison.Candidate candidate, String family, String initFrom, double minutes, Double examplesPerSecond,
                          Double regParam) {
    }

    private Candidates() {
    }

    /**
     * Trains a network with the config's family into {@code runDir}; its bundle is {@code runDir/model}.
     *
     * @param startOver discard the run directory's checkpoints and start again; otherwise an interrupted run resumes from them
     */
    public static Trained network(JavaSparkContext sc, String name, Config config, String data, Path runDir, String initFrom,
                                  boolean startOver) {
        TrainJob.Result r = TrainJob.run(new TrainJob.Options(config, data, runDir.toString(), true, initFrom, startOver, startOver), sc);
        return new Trained(new ModelComparison.Candidate(name, runDir.resolve(TrainJob.MODEL_DIR).toString()),
                String.valueOf(r.bundle().provenance().get("kind")), initFrom, r.minutes(), r.examplesPerSecond(), null);
    }

    /** Trains the MLlib baseline ({@link BaselineJob}, its test metrics on the dataset's test split) into {@code outDir}. */
    public static Trained baseline(JavaSparkContext sc, String name, String data, Path outDir) {
        long t0 = System.nanoTime();
        BaselineJob.Result r = BaselineJob.run(new BaselineJob.Options(data, Splits.TEST, outDir), sc);
        return new Trained(new ModelComparison.Candidate(name, outDir.resolve(BaselineJob.MODEL_DIR).toString()),
                Bundles.PIPELINE_KIND, null, (System.nanoTime() - t0) / 60e9, null, r.regParam());
    }
}
