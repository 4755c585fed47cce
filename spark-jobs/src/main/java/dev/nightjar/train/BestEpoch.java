package dev.nightjar.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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

    /** Keeps the network's weights when its main validation metric beats the best so far; null metrics are ignored. */
    public void offer(int epoch, Map<String, Double> validation, MultiLayerNetwork net) {
        if (validation == null || validation.isEmpty()) {
            return;
        }
        double v = validation.values().iterator().next();
        if (this.epoch < 0 || (higherIsBetter ? v > value : v < value)) {
            this.epoch = epoch;
            this.value = v;
            this.metrics = validation;
            this.params = net.params().dup();
        }
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
