package dev.nightjar.jobs;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.RecordLoaders;
import dev.nightjar.data.image.ImageBatch;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.eval.EvaluationReport;
import dev.nightjar.eval.LanguageModelMetrics;
import dev.nightjar.eval.Measurement;
import dev.nightjar.eval.ReconstructionMetrics;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.family.DatasetInfo;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.ModelFamily;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.spark.SparkSessions;
import dev.nightjar.storage.Bundles;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;

import java.util.List;

/**
 * {@code nightjar evaluate}: distributed evaluation of a model bundle on one split of a dataset.
 * Classifiers (images, text) get accuracy, macro-F1, per-class scores, the confusion matrix and, for
 * two classes, ROC-AUC, and a report.html beside metrics.json (heat map, bars, for images the most
 * confident mistakes); language models get nats and bits per token (bits per character for a char tokenizer) and
 * perplexity; autoencoders get the mean squared reconstruction error per pixel and PSNR.
 */
public final class EvaluateJob {
    public static final String METRICS_FILE = "metrics.json";

    /**
     * @param model      model bundle directory or registry reference
     * @param data       dataset directory
     * @param split      train | validation | test
     * @param output     directory for metrics.json and, for a classifier, report.html (a local path, file:// or hdfs://; null: not written)
     * @param partitions Spark partitions (0 = default parallelism)
     */
    public record Options(String model, String data, String split, String output, int partitions) {
    }

    private EvaluateJob() {
    }

    /** Evaluates the model on the dataset as its family measures it, and writes OUTPUT/metrics.json. */
    public static Measurement run(Options o, JavaSparkContext sc) {
        Configuration hconf = sc.hadoopConfiguration();
        String data = HadoopFiles.qualify(o.data(), hconf);
        Manifest manifest = Manifest.read(data, hconf);
        DatasetInfo info = manifest.info(data, hconf);
        ModelBundle bundle = Bundles.load(o.model(), hconf);
        ModelFamily family = Families.of(bundle);
        info.requireFits(family, bundle, o.model(), o.data());
        List<String> records = manifest.recordPaths(data, o.split());
        if (records.isEmpty()) {
            throw new UserException("dataset " + o.data() + " has no '" + o.split() + "' split (it has " + manifest.splits().keySet() + ")");
        }
        int threads = SparkSessions.threadsPerTask(sc);
        NativeTuning.apply(threads);
        DataSetLoader loader = RecordLoaders.evaluation(family.input(bundle.network()), info, threads);
        boolean images = manifest.kind().equals(ImageBatch.KIND);
        Measurement m = Measurement.of(sc, family.metrics(), bundle.network(), records, loader, info, o.model(), o.split(), o.partitions(),
                images ? EvaluationReport.MISTAKES_SHOWN : 0);
        if (o.output() != null) {
            HadoopFiles.writeString(o.output() + "/" + METRICS_FILE, Json.write(m.metrics()) + "\n", hconf);
            if (m.metrics() instanceof ClassificationMetrics cm) {
                HadoopFiles.writeString(o.output() + "/" + EvaluationReport.FILE, EvaluationReport.html(cm, m.mistakes()), hconf);
            }
        }
        return m;
    }

    /** {@link #run} for a classifier (images, text). */
    public static ClassificationMetrics classification(Options o, JavaSparkContext sc) {
        return expect(run(o, sc), ClassificationMetrics.class, o);
    }

    /** {@link #run} for a language model. */
    public static LanguageModelMetrics languageModel(Options o, JavaSparkContext sc) {
        return expect(run(o, sc), LanguageModelMetrics.class, o);
    }

    /** {@link #run} for an autoencoder. */
    public static ReconstructionMetrics reconstruction(Options o, JavaSparkContext sc) {
        return expect(run(o, sc), ReconstructionMetrics.class, o);
    }

    private static <T> T expect(Measurement m, Class<T> type, Options o) {
        if (!type.isInstance(m.metrics())) {
            throw new UserException(o.model() + " is not measured with " + type.getSimpleName());
        }
        return type.cast(m.metrics());
    }
}
