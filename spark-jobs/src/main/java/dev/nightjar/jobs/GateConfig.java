package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.List;
import java.util.Set;

/**
 * Typed {@code registry.gate.*}: which metric decides, on which split, with what tolerance.
 *
 * @param metric    auto, or a metric of metrics.json
 * @param tolerance how much worse than LATEST a new version may be and still move LATEST
 * @param split     the split both models are evaluated on
 */
public record GateConfig(String metric, double tolerance, String split) {
    private static final Set<String> LOWER_IS_BETTER = Set.of("bits_per_token", "nats_per_token", "perplexity", "mse_per_pixel");

    public static final Setting<String> METRIC = Setting.oneOf("registry.gate.metric", "auto",
            List.of("auto", "bits_per_token", "nats_per_token", "perplexity", "accuracy", "macro_f1", "roc_auc", "mse_per_pixel",
                    "psnr_db"),
            "The metric compared, on the training dataset's split below, for the new version and the current LATEST: "
                    + "auto is bits_per_token for a language model, mse_per_pixel for an autoencoder and accuracy for a classifier.");
    public static final Setting<Double> TOLERANCE = Setting.doubleIn("registry.gate.tolerance", 0.01, 0, 1e9,
            "LATEST moves when the new version is not worse than LATEST by more than this (in the metric's units).");
    public static final Setting<String> SPLIT = Setting.oneOf("registry.gate.split", "validation", List.of("validation", "test", "train"),
            "The split both models are evaluated on.");

    public static final Section SECTION = new Section("registry.gate", "the quality gate",
            "train and baseline --register-to: the quality gate that decides whether LATEST moves to the new version.",
            GateConfig.class, METRIC, TOLERANCE, SPLIT);

    public static GateConfig from(Config c) {
        return new GateConfig(METRIC.get(c), TOLERANCE.get(c), SPLIT.get(c));
    }

    /** The metric for a model kind: auto is its metrics kind's main metric. */
    public String metricFor(dev.nightjar.model.family.MetricsKind kind) {
        return metric.equals("auto") ? kind.mainMetric() : metric;
    }

    public static boolean higherIsBetter(String metric) {
        return !LOWER_IS_BETTER.contains(metric);
    }

    /** Whether the candidate may replace LATEST: not worse by more than the tolerance. */
    public boolean passes(String metric, double candidate, double latest) {
        double worseBy = higherIsBetter(metric) ? latest - candidate : candidate - latest;
        return worseBy <= tolerance;
    }
}
