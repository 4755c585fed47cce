package dev.nightjar.jobs;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.image.Augmentation;
import dev.nightjar.data.image.ImageRecordLoader;
import dev.nightjar.data.text.LabelledBatch;
import dev.nightjar.data.text.LabelledRecordLoader;
import dev.nightjar.data.text.LmRecordLoader;
import dev.nightjar.data.text.TokenBatch;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.eval.Evaluator;
import dev.nightjar.eval.LanguageModelMetrics;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.LanguageModels;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.storage.Bundles;
import dev.nightjar.text.Segmenter;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;

import java.util.List;

/**
 * {@code nightjar evaluate}: distributed evaluation of a model bundle on one split of a dataset.
 * Classifiers (images, text) get accuracy, macro-F1, per-class scores, the confusion matrix and, for
 * two classes, ROC-AUC; language models
 * get nats and bits per token (bits per character for a char tokenizer) and perplexity.
 */
public final class EvaluateJob {
    public static final String METRICS_FILE = "metrics.json";

    /**
     * @param model      model bundle directory or registry reference
     * @param data       dataset directory
     * @param split      train | validation | test
     * @param output     directory for metrics.json (a local path, file:// or hdfs://; null: not written)
     * @param partitions Spark partitions (0 = default parallelism)
     */
    public record Options(String model, String data, String split, String output, int partitions) {
    }

    /** What was written, with a table for the console. */
    public record Outcome(Object metrics, String table) {
    }

    private EvaluateJob() {
    }

    /** Evaluates whatever the dataset holds with the matching model. */
    public static Outcome run(Options o, JavaSparkContext sc) {
        String data = HadoopFiles.qualify(o.data(), sc.hadoopConfiguration());
        if (Manifest.read(data, sc.hadoopConfiguration()).kind().equals(TokenBatch.KIND)) {
            LanguageModelMetrics m = languageModel(o, sc);
            return new Outcome(m, m.table());
        }
        ClassificationMetrics m = classification(o, sc);
        return new Outcome(m, m.table());
    }

    /** An image or text classifier on an image or classification dataset. */
    public static ClassificationMetrics classification(Options o, JavaSparkContext sc) {
        Configuration hconf = sc.hadoopConfiguration();
        String data = HadoopFiles.qualify(o.data(), hconf);
        Manifest manifest = Manifest.read(data, hconf);
        if (!manifest.kind().equals(LabelledBatch.KIND)) {
            manifest.requireKind("image", o.data());
        }
        ModelBundle bundle = Bundles.load(o.model(), hconf);
        LabelMap labels = Manifest.labels(data, hconf);
        if (!labels.equals(bundle.labels())) {
            throw new UserException("the dataset's labels " + labels + " differ from the model's " + bundle.labels()
                    + " (prepare the data with " + (manifest.kind().equals("image") ? "--labels-from " + o.model() : "--labels " + String.join(",",
                    bundle.labels() == null ? List.of() : bundle.labels().labels())) + ")");
        }
        List<String> records = records(manifest, data, o);
        int threads = threads(sc);
        DataSetLoader loader;
        if (manifest.kind().equals("image")) {
            if (!manifest.shape().equals(bundle.inputShape())) {
                throw new UserException("the dataset's images are " + manifest.shape() + " but the model expects " + bundle.inputShape());
            }
            loader = new ImageRecordLoader(labels.size(), Augmentation.OFF, 0, 0, threads);
        } else {
            requireSameTokenizer(bundle, data, o, hconf);
            loader = new LabelledRecordLoader(bundle.tokenizer().size(), labels.size(), threads);
        }
        ClassificationMetrics metrics = ClassificationMetrics.of(o.model(), o.split(),
                new Evaluator(sc).evaluate(bundle.network(), records, loader, labels.labels(), o.partitions()), labels.labels());
        write(o, metrics, hconf);
        return metrics;
    }

    /** OUTPUT/metrics.json, on any file system; no output, nothing written. */
    private static void write(Options o, Object metrics, Configuration hconf) {
        if (o.output() != null) {
            HadoopFiles.writeString(o.output() + "/" + METRICS_FILE, Json.write(metrics) + "\n", hconf);
        }
    }

    private static void requireSameTokenizer(ModelBundle bundle, String data, Options o, Configuration hconf) {
        if (!bundle.requireTokenizer().equals(Manifest.tokenizer(data, hconf))) {
            throw new UserException("the dataset " + o.data() + " was encoded with another tokenizer than the model's "
                    + "(prepare it with --tokenizer-from " + o.model() + ")");
        }
    }

    public static LanguageModelMetrics languageModel(Options o, JavaSparkContext sc) {
        Configuration hconf = sc.hadoopConfiguration();
        String data = HadoopFiles.qualify(o.data(), hconf);
        Manifest manifest = Manifest.read(data, hconf).requireKind(TokenBatch.KIND, o.data());
        ModelBundle bundle = Bundles.load(o.model(), hconf);
        requireSameTokenizer(bundle, data, o, hconf);
        Tokenizer tokenizer = bundle.tokenizer();
        List<String> records = records(manifest, data, o);
        boolean oneHot = LanguageModels.oneHotInput(bundle.network());
        LanguageModelMetrics metrics = LanguageModelMetrics.of(o.split(), new Evaluator(sc).tokenLoss(bundle.network(), records,
                new LmRecordLoader(tokenizer.size(), oneHot, threads(sc)), o.partitions()), tokenizer.segmenter() == Segmenter.CHAR);
        write(o, metrics, hconf);
        return metrics;
    }

    private static List<String> records(Manifest manifest, String data, Options o) {
        List<String> records = manifest.recordPaths(data, o.split());
        if (records.isEmpty()) {
            throw new UserException("dataset " + o.data() + " has no '" + o.split() + "' split (it has " + manifest.splits().keySet() + ")");
        }
        return records;
    }

    private static int threads(JavaSparkContext sc) {
        int threads = dev.nightjar.spark.SparkSessions.threadsPerTask(sc);
        NativeTuning.apply(threads);
        return threads;
    }
}
