package dev.nightjar.train;

import dev.nightjar.model.Network;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/** The best validated epoch so far and a copy of its weights (early stopping without stopping). */
public final class BestEpoch {
    private final boolean higherIsBetter;
    private int epoch = -1;
    private double value;
    private Map<String, Double> metrics;
    private INDArray params;

    /** @param higherIsBetter whether a higher main metric (the first one) is better */
    public BestEpoch(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /**
     * Keeps the network's weights when its main validation metric beats the best so far; null
     * metrics are ignored. Returns whether they were kept.
     */
    public boolean offer(int epoch, Map<String, Double> validation, Network net) {
        if (validation == null || validation.isEmpty()) {
            return false;
        }
        double v = validation.values().iterator().next();
        if (this.epoch >= 0 && !(higherIsBetter ? v > value : v < value)) {
            return false;
        }
        this.epoch = epoch;
        this.value = v;
        this.metrics = validation;
        this.params = net.params().dup();
        return true;
    }

    /** The best epoch (0-based), or -1 when none was validated. */
    public int epoch() {
        return epoch;
    }

    public Map<String, Double> metrics() {
        return metrics;
    }

    public INDArray params() {
        return params;
    }
}
