package dev.nightjar.model;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The learning rate Transformers train with, per minibatch step (DL4J's iteration count): a linear warm-up from
 * {@code peak / warmup} to {@code peak} over the first {@code warmup} steps, then a cosine from {@code peak} down to
 * {@code minimum} over {@code decay} steps, then {@code minimum}; with {@code decay = 0}, {@code peak} after the warm-up.
 */
public final class WarmupCosineSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    @JsonProperty
    private double peak;
    @JsonProperty
    private double minimum;
    @JsonProperty
    private int warmup;
    @JsonProperty
    private int decay;

    private WarmupCosineSchedule() {
        // for Jackson and Kryo
    }

    public WarmupCosineSchedule(double peak, double minimum, int warmup, int decay) {
        if (peak <= 0 || minimum < 0 || minimum > peak || warmup < 0 || decay < 0) {
            throw new IllegalArgumentException("peak " + peak + ", minimum " + minimum + ", warmup " + warmup + ", decay " + decay);
        }
        this.peak = peak;
        this.minimum = minimum;
        this.warmup = warmup;
        this.decay = decay;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmup) {
            return peak * (iteration + 1) / warmup;
        }
        if (decay == 0) {
            return peak;
        }
        double progress = Math.min(1.0, (iteration - warmup) / (double) decay);
        return minimum + (peak - minimum) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    @Override
    public ISchedule clone() {
        return new WarmupCosineSchedule(peak, minimum, warmup, decay);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupCosineSchedule s && s.peak == peak && s.minimum == minimum && s.warmup == warmup && s.decay == decay;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(peak, minimum, warmup, decay);
    }

    @Override
    public String toString() {
        return "WarmupCosineSchedule(peak=" + peak + ", minimum=" + minimum + ", warmup=" + warmup + ", decay=" + decay + ")";
    }
}
