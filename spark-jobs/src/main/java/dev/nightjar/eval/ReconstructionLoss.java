package dev.nightjar.eval;

import org.apache.spark.api.java.function.Function2;

import java.io.Serializable;

/**
 * Summed squared reconstruction error over counted pixel values and images: the sufficient statistic of
 * reconstruction metrics.
 *
 * @param squaredError the sum over every image, channel and pixel of (reconstruction - input)^2, pixels in [0, 1]
 * @param values       the pixel values summed over (images x channels x height x width)
 * @param images       images measured
 */
public record ReconstructionLoss(double squaredError, long values, long images) implements Serializable {

    /** Adds two partitions' sums. */
    public static final class Merge implements Function2<ReconstructionLoss, ReconstructionLoss, ReconstructionLoss> {
        private static final long serialVersionUID = 1L;

        @Override
        public ReconstructionLoss call(ReconstructionLoss a, ReconstructionLoss b) {
            return new ReconstructionLoss(a.squaredError() + b.squaredError(), a.values() + b.values(), a.images() + b.images());
        }
    }
}
