package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;

import java.util.Set;

/**
 * Typed {@code registry.gate.*}: which metric decides, on which split, with what tolerance.
 *
 * @param metric    auto, or a metric of metrics.json
 * @param tolerance how much worse than LATEST a new version may be and still move LATEST
 * @param split     the split both models are evaluated on
 */
public record GateConfig(String metric, double tolerance, String split) {
    private static final Set<String> LOWER_IS_BETTER = Set.of("bits_per_token", "nats_per_token", "perplexity");

    public static GateConfig from(Config c) {
        return new GateConfig(
                Configs.oneOf(c, "registry.gate.metric", "auto", "bits_per_token", "nats_per_token", "perplexity", "accuracy", "macro_f1", "roc_auc"),
                Configs.doubleIn(c, "registry.gate.tolerance", 0, 1e9),
                Configs.oneOf(c, "registry.gate.split", "validation", "test", "train"));
    }

    /** The metric for a model kind: auto is bits per token for a language model, else accuracy. */
    public String metricFor(String kind) {
        if (!metric.equals("auto")) {
            return metric;
        }
        return kind.equals("language-model") ? "bits_per_token" : "accuracy";
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
