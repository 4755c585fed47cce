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
 * Buckets whose sentiment or volume departs from their trailing window. Per group, the series runs
 * from the group's first bucket to its last; a bucket with no document in between counts as
 * volume 0 and has no sentiment.
 * <ul>
 *   <li><b>volume</b> (documents) of bucket i: compared with the {@code window} buckets before it
 *       (all of them, zeros included; none before the window is full);</li>
 *   <li><b>sentiment</b> (mean positive probability) of bucket i, when it has at least
 *       {@code minDocuments} documents: compared with those of the {@code window} buckets before
 *       it that have at least {@code minDocuments} documents (at least 2 of them).</li>
 * </ul>
 * The trailing mean and sample standard deviation (n − 1) give z = (x − mean) / sd; an alert
 * fires when |z| &gt; threshold. A window with sd = 0 raises no alert (z is undefined).
 */
public final class Alerts {
    private Alerts() {
    }

    /** One departure; {@code bucket} is the bucket's start, ISO-8601. */
    public record Alert(String group, String bucket, String metric, double value, double trailingMean, double trailingSd,
                        double zScore, int windowBuckets) {
    }

    public static Duration step(String bucket) {
        return switch (bucket) {
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            case "week" -> Duration.ofDays(7);
            default -> throw new IllegalArgumentException(bucket);
        };
    }

    public static List<Alert> detect(List<TrendPoint> points, String bucket, int window, double threshold, long minDocuments) {
        Duration step = step(bucket);
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
                List<Double> sentiments = new ArrayList<>();
                for (int j = i - window; j < i; j++) {
                    TrendPoint p = e.getValue().get(times.get(j));
                    volumes.add(p == null ? 0.0 : p.documents());
                    if (p != null && p.documents() >= minDocuments) {
                        sentiments.add(p.meanPositive());
                    }
                }
                TrendPoint now = e.getValue().get(times.get(i));
                check(alerts, e.getKey(), times.get(i), "volume", now == null ? 0 : now.documents(), volumes, threshold);
                if (now != null && now.documents() >= minDocuments && sentiments.size() >= 2) {
                    check(alerts, e.getKey(), times.get(i), "sentiment", now.meanPositive(), sentiments, threshold);
                }
            }
        }
        alerts.sort(Comparator.comparing(Alert::bucket).thenComparing(Alert::group).thenComparing(Alert::metric));
        return alerts;
    }

    private static void check(List<Alert> alerts, String group, Instant bucket, String metric, double x, List<Double> window, double threshold) {
        double mean = window.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double ss = window.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = Math.sqrt(ss / (window.size() - 1));
        if (sd > 0 && Math.abs(x - mean) > threshold * sd) {
            alerts.add(new Alert(group, bucket.toString(), metric, x, mean, sd, (x - mean) / sd, window.size()));
        }
    }

    /** The content of {@code alerts.json}. */
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
