package dev.nightjar.eval;

import dev.nightjar.data.Splits;
import dev.nightjar.data.image.Augmentation;
import dev.nightjar.data.image.ImageRecordLoader;
import dev.nightjar.model.LabelMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Evaluates a dataset's validation split during training, on demand, and keeps the latest
 * result. A failed evaluation is logged and never costs the run its model.
 */
public final class ValidationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationRunner.class);
    private final JavaSparkContext sc;
    private final List<String> records;
    private final int numClasses;
    private final LabelMap labels;
    private final int threads;
    private final int partitions;
    private ClassificationMetrics latest;

    public ValidationRunner(JavaSparkContext sc, List<String> records, int numClasses, LabelMap labels, int threads, int partitions) {
        this.sc = sc;
        this.records = records;
        this.numClasses = numClasses;
        this.labels = labels;
        this.threads = threads;
        this.partitions = partitions;
    }

    /** The validation accuracy after this epoch, or NaN when there is no validation split or evaluation failed. */
    public double run(int epoch, MultiLayerNetwork net) {
        if (records.isEmpty()) {
            return Double.NaN;
        }
        try {
            latest = ClassificationMetrics.of(Splits.VALIDATION, new Evaluator(sc).evaluate(net, records,
                    new ImageRecordLoader(numClasses, Augmentation.OFF, 0, 0, threads), labels.labels(), partitions), labels.labels());
        } catch (RuntimeException e) {
            LOG.error("validation after epoch {} failed; training goes on", epoch + 1, e);
            return Double.NaN;
        }
        LOG.info("epoch {}: validation accuracy {}", epoch + 1, String.format("%.4f", latest.accuracy()));
        return latest.accuracy();
    }

    /** The latest successful evaluation, or null. */
    public ClassificationMetrics latest() {
        return latest;
    }
}
