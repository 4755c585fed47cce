package dev.nightjar.train;

/**
 * One line of {@code metrics.jsonl}: one averaging segment (one {@code fitPaths} call).
 *
 * @param epoch             0-based epoch
 * @param segment           0-based segment within the epoch
 * @param segments          segments in the epoch
 * @param examplesSeen      examples trained on since the run began
 * @param trainLoss         mean minibatch loss over the segment (DL4J score, L2 included)
 * @param learningRate      learning rate in effect
 * @param examplesPerSecond segment examples over segment wall time
 * @param trainSeconds      time the workers spent in fit, per worker
 * @param averagingSeconds  the rest of the segment's wall time: broadcast, loading, averaging, scheduling
 * @param wallSeconds       segment wall time
 * @param validationAccuracy accuracy on the validation split after the epoch's last segment (null otherwise)
 */
public record SegmentMetrics(int epoch, int segment, int segments, long examplesSeen, double trainLoss,
                             double learningRate, double examplesPerSecond, double trainSeconds,
                             double averagingSeconds, double wallSeconds, Double validationAccuracy) {
}
