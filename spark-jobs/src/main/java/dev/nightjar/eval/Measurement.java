package dev.nightjar.eval;

import dev.nightjar.model.Network;
import dev.nightjar.model.family.DatasetInfo;
import dev.nightjar.model.family.MetricsKind;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;

import java.util.List;
import java.util.Map;

/**
 * A network measured on dataset records as its family's {@link MetricsKind} says: classifier
 * metrics, language-model metrics or reconstruction metrics. The one place that turns a metrics kind into an evaluation.
 *
 * @param metrics what {@code evaluate} writes as metrics.json ({@link ClassificationMetrics}, {@link LanguageModelMetrics} or {@link ReconstructionMetrics})
 * @param summary the main metrics, main one first (metrics.jsonl, keep-best, the gate)
 * @param table    the console table
 * @param mistakes the most confident misclassified images, when asked for (an image classifier's evaluation)
 */
public record Measurement(Object metrics, Map<String, Double> summary, String table, List<Mistake> mistakes) {

    /** A measurement with no misclassified images kept. */
    public Measurement(Object metrics, Map<String, Double> summary, String table) {
        this(metrics, summary, table, List.of());
    }

    /**
     * @param model      the model's name in the metrics (a path or reference)
     * @param partitions Spark partitions (0 = default parallelism)
     */
    public static Measurement of(JavaSparkContext sc, MetricsKind kind, Network net, List<String> records, DataSetLoader loader,
                                 DatasetInfo data, String model, String split, int partitions) {
        return of(sc, kind, net, records, loader, data, model, split, partitions, 0);
    }

    /**
     * @param model        the model's name in the metrics (a path or reference)
     * @param partitions   Spark partitions (0 = default parallelism)
     * @param keepMistakes for an image classifier, the most confident misclassified images to keep (0 = none)
     */
    public static Measurement of(JavaSparkContext sc, MetricsKind kind, Network net, List<String> records, DataSetLoader loader,
                                 DatasetInfo data, String model, String split, int partitions, int keepMistakes) {
        Evaluator evaluator = new Evaluator(sc);
        return switch (kind) {
            case CLASSIFIER -> {
                List<String> labels = data.requireLabels().labels();
                ClassifierEvaluation ce = evaluator.evaluate(net, records, loader, labels, partitions, keepMistakes);
                ClassificationMetrics m = ClassificationMetrics.of(model, split, ce, labels);
                yield new Measurement(m, m.summary(), m.table(), ce.mistakes());
            }
            case LANGUAGE_MODEL -> {
                LanguageModelMetrics m = LanguageModelMetrics.of(split,
                        evaluator.tokenLoss(net, records, loader, partitions, data.requireTokenizer().charsPerId()));
                yield new Measurement(m, m.summary(), m.table());
            }
            case RECONSTRUCTION -> {
                ReconstructionMetrics m = ReconstructionMetrics.of(split, evaluator.reconstructionLoss(net, records, loader, partitions));
                yield new Measurement(m, m.summary(), m.table());
            }
        };
    }
}
