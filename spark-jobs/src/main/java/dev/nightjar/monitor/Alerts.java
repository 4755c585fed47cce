package dev.nightjar.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Buckets whose sentiment or volume departs from their trailing window. Pure Java: it works on the
 * trends collected to the driver (a row per bucket and group), never on documents.
 * <p>The rules, applied to each group on its own:
 * <ul>
 *   <li><b>series</b>: it runs from the group's first bucket to its last, in steps of 1 hour,
 *       1 day or 7 days (hour, day, week; UTC). A bucket missing in between is filled as volume 0
 *       with no sentiment value.</li>
 *   <li><b>volume</b> (documents) of bucket i: needs the {@code window} buckets before it (all of
 *       them present, zeros included; buckets before the window is full are not judged). Their
 *       trailing mean and sample standard deviation (n − 1) are computed. Counts vary at least as
 *       much as Poisson counts do, so the deviation used is at least √mean (the noise floor; √1 when
 *       the mean is below 1): s = max(sd, √max(mean, 1)). An alert fires when |x − mean| &gt;
 *       threshold · s, with z = (x − mean) / s. A flat window (sd = 0) is judged against the floor.</li>
 *   <li><b>sentiment</b> (mean positive probability) of bucket i: judged only when bucket i has at
 *       least {@code minDocuments} documents. The trailing values are those of the {@code window}
 *       buckets before it that have at least {@code minDocuments} documents; at least 2 of them are
 *       needed. The same test, where the deviation is at least the sampling noise of the means
 *       (the noise floor): the standard error of (x − trailing mean) if the documents' probabilities
 *       had not changed, √(sd_i² / n_i + Σ_j sd_j² / n_j / w²), from each bucket's documents n and
 *       the sample sd of their probabilities (j: the w trailing buckets). So a few trailing means that
 *       happen to agree closely do not turn a small difference into a large z. A window whose means
 *       and documents all agree exactly (s = 0) raises nothing.</li>
 *   <li>The alerts come sorted by bucket, then group, then metric.</li>
 * </ul>
 */
public final class Alerts {
    private Alerts() {
    }

    /**
     * One departure from the trailing window; a record of {@code alerts.json}.
     *
     * @param group         the group the bucket belongs to
     * @param bucket        the bucket's start, an ISO-8601 instant (UTC), e.g. {@code 2026-01-06T00:00:00Z}
     * @param metric        {@code "sentiment"} (mean positive probability) or {@code "volume"} (documents)
     * @param value         the bucket's value of the metric
     * @param trailingMean  mean of the trailing values
     * @param trailingSd    sample standard deviation (n − 1) of the trailing values
     * @param sdFloor       the noise floor: √max(trailingMean, 1) for volume, the standard error of the
     *                      difference of the means for sentiment (see the class comment)
     * @param zScore        (value − trailingMean) / max(trailingSd, sdFloor)
     * @param windowBuckets how many trailing values were compared with (the window, or fewer for sentiment)
     */
    public record Alert(String group, String bucket, String metric, double value, double trailingMean, double trailingSd,
                        double sdFloor, double zScore, int windowBuckets) {
    }

    /**
     * The length of a bucket.
     *
     * @param bucket hour, day or week
     * @return 1 hour, 1 day or 7 days
     * @throws IllegalArgumentException for any other bucket (the CLI checks {@code --bucket} first)
     */
    public static Duration step(String bucket) {
        return switch (bucket) {
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            case "week" -> Duration.ofDays(7);
            default -> throw new IllegalArgumentException(bucket);
        };
    }

    /**
     * The alerts of some trends, by the rules in the class comment.
     *
     * @param points       the trends, a point per bucket and group, in any order
     * @param bucket       hour, day or week: the step between buckets
     * @param window       trailing buckets a bucket is compared with, at least 2
     * @param threshold    standard deviations from the trailing mean that make an alert
     * @param minDocuments least documents for a bucket's sentiment to be judged or used as history
     * @return the alerts, sorted by bucket, then group, then metric
     */
    public static List<Alert> detect(List<TrendPoint> points, String bucket, int window, double threshold, long minDocuments) {
        Duration step = step(bucket);
        if (window < 2) {
            throw new IllegalArgumentException("window must be at least 2 (a standard deviation needs 2 values), got " + window);
        }
        Map<String, TreeMap<Instant, TrendPoint>> byGroup = new TreeMap<>();
        for (TrendPoint p : points) {
            byGroup.computeIfAbsent(p.group(), g -> new TreeMap<>()).put(p.bucket(), p);
        }
        List<Alert> alerts = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Instant, TrendPoint>> e : byGroup.entrySet()) {
            List<Instant> times = new ArrayList<>();
            for (Instant t = e.getValue().firstKey(); !t.isAfter(e.getValue().lastKey()); t = t.plus(step)) {
                times.add(t);
            }
            for (int i = window; i < times.size(); i++) {
                List<Double> volumes = new ArrayList<>();
                List<TrendPoint> history = new ArrayList<>();
                for (int j = i - window; j < i; j++) {
                    TrendPoint p = e.getValue().get(times.get(j));
                    volumes.add(p == null ? 0.0 : p.documents());
                    if (p != null && p.documents() >= minDocuments) {
                        history.add(p);
                    }
                }
                TrendPoint now = e.getValue().get(times.get(i));
                check(alerts, e.getKey(), times.get(i), "volume", now == null ? 0 : now.documents(), volumes, threshold,
                        mean -> Math.sqrt(Math.max(mean, 1)));
                if (now != null && now.documents() >= minDocuments && history.size() >= 2) {
                    double floor = standardError(now, history);
                    check(alerts, e.getKey(), times.get(i), "sentiment", now.meanPositive(),
                            history.stream().map(TrendPoint::meanPositive).toList(), threshold, mean -> floor);
                }
            }
        }
        alerts.sort(Comparator.comparing(Alert::bucket).thenComparing(Alert::group).thenComparing(Alert::metric));
        return alerts;
    }

    /** √(sd_i² / n_i + Σ_j sd_j² / n_j / w²): the standard error of a bucket's mean minus the mean of w trailing means. */
    static double standardError(TrendPoint now, List<TrendPoint> history) {
        double trailing = history.stream().mapToDouble(p -> p.sdPositive() * p.sdPositive() / p.documents()).sum();
        return Math.sqrt(now.sdPositive() * now.sdPositive() / now.documents() + trailing / ((double) history.size() * history.size()));
    }

    /** Adds an alert when x departs from the window's mean by more than threshold · max(sd, floor(mean)). */
    private static void check(List<Alert> alerts, String group, Instant bucket, String metric, double x, List<Double> window, double threshold,
                              java.util.function.DoubleUnaryOperator floorOfMean) {
        double mean = window.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double ss = window.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = Math.sqrt(ss / (window.size() - 1));
        double floor = floorOfMean.applyAsDouble(mean);
        double s = Math.max(sd, floor);
        if (s > 0 && Math.abs(x - mean) > threshold * s) {
            alerts.add(new Alert(group, bucket.toString(), metric, x, mean, sd, floor, (x - mean) / s, window.size()));
        }
    }

    /**
     * The content of {@code alerts.json}: {@code {"bucket", "window", "threshold_sd", "min_documents", "alerts": [...]}},
     * the alerts' fields in snake_case as {@link dev.nightjar.util.Json} writes records.
     */
    public static Map<String, Object> file(List<Alert> alerts, String bucket, int window, double threshold, long minDocuments) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bucket", bucket);
        m.put("window", window);
        m.put("threshold_sd", threshold);
        m.put("min_documents", minDocuments);
        m.put("alerts", alerts);
        return m;
    }

    /** Alerts per group, for the report. */
    static Map<String, List<Alert>> byGroup(List<Alert> alerts) {
        return alerts.stream().collect(Collectors.groupingBy(Alert::group, TreeMap::new, Collectors.toList()));
    }
}
