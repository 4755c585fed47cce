package dev.nightjar.monitor;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentimentReportTest {
    private static final String EVIL = "<script>alert(1)</script>";
    private static final Pattern PNG = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    /** "news": daily volumes 10,12,11,13,12,40 (a volume alert on day 5, z = 8.34 against the noise floor); EVIL: one hourly bucket. */
    private static List<TrendPoint> trends() {
        Instant day0 = Instant.parse("2026-01-01T00:00:00Z");
        long[] volumes = {10, 12, 11, 13, 12, 40};
        List<TrendPoint> points = new ArrayList<>();
        for (int d = 0; d < volumes.length; d++) {
            points.add(new TrendPoint(day0.plus(d, ChronoUnit.DAYS), "news", volumes[d], 0.6, 0.2, Map.of("neg", 0.4, "pos", 0.6)));
        }
        points.add(new TrendPoint(Instant.parse("2026-01-03T13:00:00Z"), EVIL, 3, 0.2, 0.1, Map.of("neg", 1.0, "pos", 0.0)));
        return points;
    }

    private static Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("scored", 101);
        s.put("input", "csv [file:/data/" + EVIL + ".csv]");
        return s;
    }

    private static List<BufferedImage> images(String html) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        Matcher m = PNG.matcher(html);
        while (m.find()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertNotNull(image, "a PNG that decodes");
            images.add(image);
        }
        return images;
    }

    private static void assertSelfContainedAndEscaped(String html) {
        assertFalse(html.contains("src=\"http"), "nothing loaded from the network");
        assertFalse(html.contains("http://") || html.contains("https://"), "no web reference at all");
        assertFalse(html.contains("<script"), "user strings are escaped");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    @Test
    void aReportWithTrendsHasChartsPerGroupTheAlertsAndTheNotes() throws IOException {
        List<TrendPoint> trends = trends();
        List<Alerts.Alert> alerts = Alerts.detect(trends, "day", 5, 3.0, 10);
        assertEquals(1, alerts.size(), alerts.toString());
        String html = SentimentReport.html("Sentiment " + EVIL, trends, alerts, Map.of("neg", 40L, "pos", 61L), summary(),
                List.of("Timestamps are synthetic", EVIL));

        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>Sentiment &lt;script&gt;"), "the title, escaped");
        int note = html.indexOf("Timestamps are synthetic");
        assertTrue(note > 0 && note < html.indexOf("Summary"), "the notes come before the summary");
        assertTrue(html.contains("<td>101</td>"), "the summary table");
        assertSelfContainedAndEscaped(html);

        // 2 charts per group (sentiment, documents) and the label distribution
        assertTrue(html.contains("data:image/png;base64,"));
        List<BufferedImage> images = images(html);
        assertEquals(2 * 2 + 1, images.size());
        assertEquals(900, images.get(0).getWidth());

        // the alerts table: group, bucket, metric, value, trailing mean, sd, noise floor (sqrt 11.6), z = 28.4 / 3.406
        String table = html.substring(html.indexOf("<h2>Alerts</h2>"));
        assertTrue(table.contains("<td>news</td><td>2026-01-06T00:00:00Z</td><td>volume</td><td>40.00</td><td>11.60</td>"
                + "<td>1.140</td><td>3.406</td><td>8.34</td>"), table);
    }

    @Test
    void withoutTrendsOnlyTheSummaryNotesAndLabelDistribution() throws IOException {
        String html = SentimentReport.html("Sentiment", List.of(), List.of(), Map.of(EVIL, 3L, "pos", 5L), summary(),
                List.of("No time column: no trends"));
        assertTrue(html.contains("No time column: no trends"));
        assertTrue(html.contains("Summary"));
        assertTrue(html.contains("Predicted labels"));
        assertFalse(html.contains("<h2>Alerts</h2>") || html.contains("<h2>Trends</h2>"), html);
        assertEquals(1, images(html).size(), "the label distribution only");
        assertSelfContainedAndEscaped(html);
    }
}
