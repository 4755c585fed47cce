package dev.nightjar.eval;

import dev.nightjar.model.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Evaluates a dataset's validation split during training, on demand, and keeps the latest
 * result. A failed evaluation is logged and never costs the run its model.
 *
 * @param <M> the metrics type (classification or language model)
 */
public final class ValidationRunner<M> {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationRunner.class);
    private final List<String> records;
    private final Function<Network, M> evaluate;
    private final Function<M, Map<String, Double>> summary;
    private M latest;

    /**
     * @param records  the validation records (may be empty)
     * @param evaluate evaluates a network on them
     * @param summary  the metrics for metrics.jsonl, main one first
     */
    public ValidationRunner(List<String> records, Function<Network, M> evaluate, Function<M, Map<String, Double>> summary) {
        this.records = records;
        this.evaluate = evaluate;
        this.summary = summary;
    }

    /** The validation metrics after this epoch, or null when there is no validation split or evaluation failed. */
    public Map<String, Double> run(int epoch, Network net) {
        if (records.isEmpty()) {
            return null;
        }
        try {
            latest = evaluate.apply(net);
        } catch (RuntimeException e) {
            LOG.error("validation after epoch {} failed; training goes on", epoch + 1, e);
            return null;
        }
        Map<String, Double> m = summary.apply(latest);
        LOG.info("epoch {}: validation {}", epoch + 1, m);
        return m;
    }

    /** The latest successful evaluation, or null. */
    public M latest() {
        return latest;
    }

    /** The latest successful evaluation's metrics, main one first, or null. */
    public Map<String, Double> latestSummary() {
        return latest == null ? null : summary.apply(latest);
    }
}
