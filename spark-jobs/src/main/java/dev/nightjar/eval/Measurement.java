package dev.nightjar.eval;

import dev.nightjar.model.Network;
import dev.nightjar.model.family.DatasetInfo;
import dev.nightjar.model.family.MetricsKind;
import dev.nightjar.text.Segmenter;
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
 * @param table   the console table
 */
public record Measurement(Object metrics, Map<String, Double> summary, String table) {

    /**
     * @param model      the model's name in the metrics (a path or reference)
     * @param partitions Spark partitions (0 = default parallelism)
     */
    public static Measurement of(JavaSparkContext sc, MetricsKind kind, Network net, List<String> records, DataSetLoader loader,
                                 DatasetInfo data, String model, String split, int partitions) {
        Evaluator evaluator = new Evaluator(sc);
        return switch (kind) {
            case CLASSIFIER -> {
                List<String> labels = data.requireLabels().labels();
                ClassificationMetrics m = ClassificationMetrics.of(model, split, evaluator.evaluate(net, records, loader, labels, partitions), labels);
                yield new Measurement(m, m.summary(), m.table());
            }
            case LANGUAGE_MODEL -> {
                LanguageModelMetrics m = LanguageModelMetrics.of(split, evaluator.tokenLoss(net, records, loader, partitions),
                        data.requireTokenizer().segmenter() == Segmenter.CHAR);
                yield new Measurement(m, m.summary(), m.table());
            }
            case RECONSTRUCTION -> {
                ReconstructionMetrics m = ReconstructionMetrics.of(split, evaluator.reconstructionLoss(net, records, loader, partitions));
                yield new Measurement(m, m.summary(), m.table());
            }
        };
    }
}
