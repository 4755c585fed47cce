package dev.nightjar.train;

/**
 * One line of {@code metrics.jsonl}: one averaging segment (one {@code fitPaths} call).
 *
 * @param epoch             0-based epoch
 * @param segment           0-based segment within the epoch
 * @param segments          segments in the epoch
 * @param examplesSeen      examples trained on since the run began
 * @param trainLoss         mean minibatch loss over the segment (DL4J score, L2 included): per example for a
 *                          classifier, nats per token for a language model, per pixel for an autoencoder
 * @param trainBitsPerToken train loss in bits per token (language models; null otherwise)
 * @param learningRate      learning rate in effect
 * @param examplesPerSecond segment examples over segment wall time
 * @param trainSeconds      time the workers spent in fit, per worker
 * @param averagingSeconds  the rest of the segment's wall time: broadcast, loading, averaging, scheduling
 * @param wallSeconds       segment wall time
 * @param validation        metrics of the validation split after the epoch's last segment, main one first
 *                          (accuracy, bits per token, or mse per pixel); null otherwise
 */
public record SegmentMetrics(int epoch, int segment, int segments, long examplesSeen, double trainLoss,
                             Double trainBitsPerToken, double learningRate, double examplesPerSecond, double trainSeconds,
                             double averagingSeconds, double wallSeconds, java.util.Map<String, Double> validation) {

    /** Language models: DL4J's score over {@code steps} time steps, as nats and bits per token. */
    public SegmentMetrics perToken(int steps) {
        double nats = trainLoss / steps;
        return new SegmentMetrics(epoch, segment, segments, examplesSeen, nats, nats / Math.log(2), learningRate,
                examplesPerSecond, trainSeconds, averagingSeconds, wallSeconds, validation);
    }

    /** DL4J's score summed over {@code steps} (an autoencoder's pixel positions), per step. */
    public SegmentMetrics perStep(int steps) {
        return new SegmentMetrics(epoch, segment, segments, examplesSeen, trainLoss / steps, trainBitsPerToken, learningRate,
                examplesPerSecond, trainSeconds, averagingSeconds, wallSeconds, validation);
    }

    /** The main validation metric (the first), or null. */
    public Double mainValidation() {
        return validation == null || validation.isEmpty() ? null : validation.values().iterator().next();
    }
}
