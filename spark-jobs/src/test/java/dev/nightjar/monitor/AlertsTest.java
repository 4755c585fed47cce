package dev.nightjar.monitor;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertsTest {
    private static final Instant DAY0 = Instant.parse("2026-01-01T00:00:00Z");

    private static TrendPoint point(String group, int day, long documents, double positive) {
        return point(group, day, documents, positive, 0);
    }

    /** A day whose documents' positive probabilities have the sample sd {@code sd} (0: all the same). */
    private static TrendPoint point(String group, int day, long documents, double positive, double sd) {
        return new TrendPoint(DAY0.plus(day, ChronoUnit.DAYS), group, documents, positive, sd, Map.of());
    }

    private static List<TrendPoint> series(String group, long[] volumes, double[] positives) {
        List<TrendPoint> points = new ArrayList<>();
        for (int d = 0; d < volumes.length; d++) {
            if (volumes[d] >= 0) {
                points.add(point(group, d, volumes[d], positives[d]));
            }
        }
        return points;
    }

    @Test
    void aVolumeSpikeIsFlaggedWithItsZScore() {
        // window 5 before day 5: 10,12,11,13,12 → mean 11.6; squared deviations 2.56+0.16+0.36+1.96+0.16 = 5.2;
        // sample sd = sqrt(5.2 / 4) = 1.140175, below the Poisson noise floor sqrt(11.6) = 3.405877, which is used:
        // z = (40 - 11.6) / 3.405877 = 8.3385. Sentiment .6,.62,.58,.61,.59 → mean .6, sd .0158114; day 5 at .60 has z = 0: no alert.
        List<TrendPoint> points = series("news", new long[] {10, 12, 11, 13, 12, 40}, new double[] {.6, .62, .58, .61, .59, .60});
        List<Alerts.Alert> alerts = Alerts.detect(points, "day", 5, 3.0, 10);
        assertEquals(1, alerts.size(), alerts.toString());
        Alerts.Alert a = alerts.get(0);
        assertEquals("volume", a.metric());
        assertEquals("2026-01-06T00:00:00Z", a.bucket());
        assertEquals(40, a.value());
        assertEquals(11.6, a.trailingMean(), 1e-9);
        assertEquals(1.140175, a.trailingSd(), 1e-6);
        assertEquals(3.405877, a.sdFloor(), 1e-6);
        assertEquals(8.3385, a.zScore(), 1e-4);
        assertEquals(5, a.windowBuckets());
    }

    @Test
    void aMissingBucketIsVolumeZero() {
        // days 0-2: 20, 22, 21 (mean 21, sd 1, floor sqrt 21 = 4.582576); day 3 has no document: volume 0, z = -4.5826.
        // Day 4 (21) against 22, 21, 0: mean 14.333, sd 12.423 (above its floor 3.786), z = 0.54: no alert.
        List<TrendPoint> points = series("news", new long[] {20, 22, 21, -1, 21}, new double[] {.5, .5, .5, 0, .5});
        List<Alerts.Alert> alerts = Alerts.detect(points, "day", 3, 3.0, 10);
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals("2026-01-04T00:00:00Z", alerts.get(0).bucket());
        assertEquals(0, alerts.get(0).value());
        assertEquals(-21.0 / Math.sqrt(21), alerts.get(0).zScore(), 1e-9);
    }

    @Test
    void sentimentSkipsBucketsWithTooFewDocuments() {
        // day 2 has 2 documents (< 10): neither judged nor history. Day 5 (.9) against .5, .5, .52, .48:
        // mean .5, sd sqrt((0 + 0 + .0004 + .0004) / 3) = .0163299, z = 24.49.
        List<TrendPoint> points = series("blog", new long[] {20, 20, 2, 20, 20, 20}, new double[] {.5, .5, .9, .52, .48, .9});
        List<Alerts.Alert> alerts = Alerts.detect(points, "day", 5, 3.0, 10);
        List<Alerts.Alert> sentiment = alerts.stream().filter(a -> a.metric().equals("sentiment")).toList();
        assertEquals(1, sentiment.size(), alerts.toString());
        assertEquals("2026-01-06T00:00:00Z", sentiment.get(0).bucket());
        assertEquals(4, sentiment.get(0).windowBuckets());
        assertEquals(0.5, sentiment.get(0).trailingMean(), 1e-9);
        assertEquals(24.495, sentiment.get(0).zScore(), 1e-3);
    }

    @Test
    void sentimentIsJudgedAgainstTheStandardErrorOfTheMeans() {
        // Both groups: days 0-2 have 10 documents each with means .50, .51, .49 (sd of the means .01) and a spread of
        // .3 within each day. "noise", day 3: 10 documents at mean .40, spread .3. Against the sd alone z would be -10;
        // the floor is sqrt(.3²/10 + 3 · .3²/10 / 3²) = sqrt(.009 + .003) = .109545, so z = -.1 / .109545 = -.9129: no alert.
        // "incident", day 3: 100 documents at mean .10, spread .2: floor sqrt(.2²/100 + .003) = sqrt(.0034) = .0583095,
        // z = -.4 / .0583095 = -6.8599: an alert.
        List<TrendPoint> points = new ArrayList<>();
        for (String g : List.of("noise", "incident")) {
            points.add(point(g, 0, 10, .50, .3));
            points.add(point(g, 1, 10, .51, .3));
            points.add(point(g, 2, 10, .49, .3));
        }
        points.add(point("noise", 3, 10, .40, .3));
        points.add(point("incident", 3, 100, .10, .2));
        List<Alerts.Alert> sentiment = Alerts.detect(points, "day", 3, 3.0, 10).stream().filter(a -> a.metric().equals("sentiment")).toList();
        assertEquals(1, sentiment.size(), sentiment.toString());
        Alerts.Alert a = sentiment.get(0);
        assertEquals("incident", a.group());
        assertEquals(0.5, a.trailingMean(), 1e-9);
        assertEquals(0.01, a.trailingSd(), 1e-9);
        assertEquals(Math.sqrt(0.0034), a.sdFloor(), 1e-9);
        assertEquals(-6.8599, a.zScore(), 1e-4);
        assertEquals(Math.sqrt(0.012), Alerts.standardError(point("noise", 3, 10, .40, .3),
                List.of(point("noise", 0, 10, .50, .3), point("noise", 1, 10, .51, .3), point("noise", 2, 10, .49, .3))), 1e-12);
    }

    @Test
    void aFlatWindowIsJudgedAgainstPoissonNoiseAndGroupsAreIndependent() {
        // 10 every day (sd 0, floor sqrt 10 = 3.162278): 50 is z = 40 / 3.162278 = 12.649, an alert; 14 is z = 1.265, none.
        // Flat sentiment (.5 every day, every document) raises nothing: its sd and its floor are 0.
        List<TrendPoint> points = new ArrayList<>(series("flat", new long[] {10, 10, 10, 10, 50}, new double[] {.5, .5, .5, .5, .5}));
        points.addAll(series("steady", new long[] {10, 10, 10, 10, 14}, new double[] {.5, .5, .5, .5, .5}));
        List<Alerts.Alert> alerts = Alerts.detect(points, "day", 4, 3.0, 10);
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals("flat", alerts.get(0).group());
        assertEquals("volume", alerts.get(0).metric());
        assertEquals(0.0, alerts.get(0).trailingSd());
        assertEquals(40 / Math.sqrt(10), alerts.get(0).zScore(), 1e-9);
        assertTrue(Alerts.detect(points, "day", 4, 13, 10).isEmpty(), "a higher threshold silences it");
    }

    @Test
    void weeksStepSevenDays() {
        List<TrendPoint> points = List.of(point("w", 0, 10, .5), point("w", 7, 12, .5), point("w", 14, 11, .5), point("w", 28, 60, .5));
        // the week of day 21 is missing: volume 0 against 10, 12, 11 (mean 11, sd 1, floor sqrt 11), z = -3.3166;
        // day 28 (60) against 12, 11, 0: mean 7.667, sd 6.658 (above its floor 2.769), z = 7.86
        List<Alerts.Alert> alerts = Alerts.detect(points, "week", 3, 3.0, 10);
        assertEquals(2, alerts.size(), alerts.toString());
        assertEquals("2026-01-22T00:00:00Z", alerts.get(0).bucket());
        assertEquals(-11.0 / Math.sqrt(11), alerts.get(0).zScore(), 1e-9);
        assertEquals("2026-01-29T00:00:00Z", alerts.get(1).bucket());
        assertEquals(7.86, alerts.get(1).zScore(), 0.01);
    }

    @Test
    void aVolumeInsideTheBandIsNoAlert() {
        // window 10,30,20,40,25: mean 25, squared deviations 225+25+25+225+0 = 500, sd = sqrt(125) = 11.18034, above
        // the floor sqrt(25) = 5, so the sd is used; day 5 at 50: z = 25 / 11.18034 = 2.2361.
        // Inside 3 sd: nothing; outside 2 sd: an alert.
        List<TrendPoint> points = series("news", new long[] {10, 30, 20, 40, 25, 50}, new double[] {.5, .5, .5, .5, .5, .5});
        assertTrue(Alerts.detect(points, "day", 5, 3.0, 10).isEmpty());
        List<Alerts.Alert> at2 = Alerts.detect(points, "day", 5, 2.0, 10);
        assertEquals(1, at2.size(), at2.toString());
        assertEquals(2.2361, at2.get(0).zScore(), 1e-4);
    }

    @Test
    void hoursStepOneHourAndAlertsSortByBucketThenGroupThenMetric() {
        Instant h0 = Instant.parse("2026-01-01T22:00:00Z");
        List<TrendPoint> points = new ArrayList<>();
        // both groups: hours 22, 23, 00 at 20, 22, 21 documents (mean 21, sd 1, floor sqrt 21) and sentiment .5, .52, .48
        // (mean .5, sd .02); hour 01 at 40 documents (z = 19 / sqrt 21 = 4.146) and sentiment .9 (z = 20): 2 alerts per group
        for (String g : List.of("zeta", "alpha")) {
            long[] volumes = {20, 22, 21, 40};
            double[] positives = {.5, .52, .48, .9};
            for (int h = 0; h < 4; h++) {
                points.add(new TrendPoint(h0.plus(h, ChronoUnit.HOURS), g, volumes[h], positives[h], 0, Map.of()));
            }
        }
        List<Alerts.Alert> alerts = Alerts.detect(points, "hour", 3, 3.0, 10);
        assertEquals(List.of("alpha sentiment", "alpha volume", "zeta sentiment", "zeta volume"),
                alerts.stream().map(a -> a.group() + " " + a.metric()).toList());
        assertTrue(alerts.stream().allMatch(a -> a.bucket().equals("2026-01-02T01:00:00Z")), alerts.toString());
        assertEquals(19.0 / Math.sqrt(21), alerts.get(1).zScore(), 1e-9);
        assertEquals(20.0, alerts.get(0).zScore(), 1e-9);
    }

    @Test
    void theAlertsFileNamesItsSettingsAndFieldsInSnakeCase() {
        List<Alerts.Alert> alerts = List.of(new Alerts.Alert("news", "2026-01-06T00:00:00Z", "volume", 40, 11.6, 1.14, 3.41, 8.34, 5));
        String json = dev.nightjar.util.Json.write(Alerts.file(alerts, "day", 5, 3.0, 10));
        for (String key : List.of("\"bucket\" : \"day\"", "\"window\" : 5", "\"threshold_sd\" : 3.0", "\"min_documents\" : 10",
                "\"trailing_mean\" : 11.6", "\"trailing_sd\" : 1.14", "\"sd_floor\" : 3.41", "\"z_score\" : 8.34", "\"window_buckets\" : 5")) {
            assertTrue(json.contains(key), key + " in " + json);
        }
    }

    @Test
    void aWindowOfOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Alerts.detect(List.of(point("g", 0, 1, .5)), "day", 1, 3.0, 1));
    }
}
