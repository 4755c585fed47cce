package dev.nightjar.monitor;

import java.time.Instant;
import java.util.Map;

/**
 * One row of {@code trends/}: a time bucket of one group.
 *
 * @param bucket       start of the bucket (UTC)
 * @param group        the group (the literal "all" when the input had no group column)
 * @param documents    documents scored in it
 * @param meanPositive mean positive probability
 * @param sdPositive   sample standard deviation (n − 1) of the positive probability; 0 for one document
 * @param labelShare   share of documents predicted as each label, every label of the model included
 */
public record TrendPoint(Instant bucket, String group, long documents, double meanPositive, double sdPositive, Map<String, Double> labelShare) {
}
