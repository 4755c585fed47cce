package dev.nightjar.jobs;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.image.Augmentation;
import dev.nightjar.data.image.ImageRecordLoader;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.eval.Evaluator;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.List;

/** {@code nightjar evaluate}: distributed evaluation of a model bundle on one split of a dataset. */
public final class EvaluateJob {
    public static final String METRICS_FILE = "metrics.json";

    /**
     * @param model      model bundle directory
     * @param data       dataset directory
     * @param split      train | validation | test
     * @param output     directory for metrics.json
     * @param partitions Spark partitions (0 = default parallelism)
     */
    public record Options(Path model, String data, String split, Path output, int partitions) {
    }

    private EvaluateJob() {
    }

    public static ClassificationMetrics run(Options o, JavaSparkContext sc) {
        Configuration hconf = sc.hadoopConfiguration();
        String data = HadoopFiles.qualify(o.data(), hconf);
        Manifest manifest = Manifest.read(data, hconf);
        ModelBundle bundle = ModelBundle.load(o.model());
        LabelMap labels = Manifest.labels(data, hconf);
        if (!labels.equals(bundle.labels())) {
            throw new UserException("the dataset's labels " + labels + " differ from the model's " + bundle.labels()
                    + " (prepare the data with --labels-from " + o.model() + ")");
        }
        if (!manifest.shape().equals(bundle.inputShape())) {
            throw new UserException("the dataset's images are " + manifest.shape() + " but the model expects " + bundle.inputShape());
        }
        List<String> records = manifest.recordPaths(data, o.split());
        if (records.isEmpty()) {
            throw new UserException("dataset " + o.data() + " has no '" + o.split() + "' split (it has " + manifest.splits().keySet() + ")");
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, sc.defaultParallelism()));
        NativeTuning.apply(threads);
        ClassificationMetrics metrics = ClassificationMetrics.of(o.split(), new Evaluator(sc).evaluate(bundle.network(), records,
                new ImageRecordLoader(labels.size(), Augmentation.OFF, 0, 0, threads), labels.labels(), o.partitions()), labels.labels());
        Json.writeFile(o.output().resolve(METRICS_FILE), metrics);
        return metrics;
    }
}
