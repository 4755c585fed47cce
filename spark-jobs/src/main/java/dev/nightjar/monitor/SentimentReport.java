package dev.nightjar.monitor;

import dev.nightjar.report.Html;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.nightjar.report.Html.escape;

/**
 * {@code report.html} of a scoring run: notes, a summary, per group the mean positive probability
 * and the document count per bucket (alerts marked), the alerts, and the predicted label
 * distribution. Charts are XChart PNGs embedded in the page, so it opens with no network.
 */
public final class SentimentReport {
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private SentimentReport() {
    }

    /**
     * The page. Every user string (title, group, notes, summary keys and values, labels) is escaped.
     *
     * @param title       page title
     * @param trends      the trends; empty when the input had no time column (then no trend charts or alerts)
     * @param alerts      the alerts of the trends
     * @param labelCounts documents predicted as each label, for the label distribution chart
     * @param summary     key/value pairs of the run, shown as a table
     * @param notes       lines shown prominently at the top (e.g. "Timestamps are synthetic")
     * @return a self-contained HTML page
     */
    public static String html(String title, List<TrendPoint> trends, List<Alerts.Alert> alerts, Map<String, Long> labelCounts,
                              Map<String, Object> summary, List<String> notes) {
        StringBuilder b = new StringBuilder();
        for (String n : notes) {
            b.append("<p class=\"note\">").append(escape(n)).append("</p>\n");
        }
        b.append("<h2>Summary</h2>\n<table>\n");
        summary.forEach((k, v) -> b.append("<tr><th>").append(escape(k.replace('_', ' '))).append("</th><td>")
                .append(escape(String.valueOf(v))).append("</td></tr>\n"));
        b.append("</table>\n");
        if (!trends.isEmpty()) {
            b.append("<h2>Trends</h2>\n");
            Map<String, List<TrendPoint>> byGroup = trends.stream().collect(Collectors.groupingBy(TrendPoint::group, TreeMap::new, Collectors.toList()));
            Map<String, List<Alerts.Alert>> alertsByGroup = Alerts.byGroup(alerts);
            for (Map.Entry<String, List<TrendPoint>> e : byGroup.entrySet()) {
                List<Alerts.Alert> mine = alertsByGroup.getOrDefault(e.getKey(), List.of());
                b.append("<h3>").append(escape(e.getKey())).append("</h3>\n")
                        .append(Html.img(chart("Mean positive probability: " + e.getKey(), "mean positive probability", e.getValue(),
                                true, mine.stream().filter(a -> a.metric().equals("sentiment")).toList()))).append("\n")
                        .append(Html.img(chart("Documents per bucket: " + e.getKey(), "documents", e.getValue(), false,
                                mine.stream().filter(a -> a.metric().equals("volume")).toList()))).append("\n");
            }
            b.append("<h2>Alerts</h2>\n");
            if (alerts.isEmpty()) {
                b.append("<p>None.</p>\n");
            } else {
                b.append("<table>\n<tr><th>group</th><th>bucket</th><th>metric</th><th>value</th><th>trailing mean</th><th>sd</th><th>noise floor</th><th>z</th></tr>\n");
                for (Alerts.Alert a : alerts) {
                    b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%.4g</td><td>%.4g</td><td>%.4g</td><td>%.4g</td><td>%.2f</td></tr>%n",
                            escape(a.group()), escape(a.bucket()), escape(a.metric()), a.value(), a.trailingMean(), a.trailingSd(), a.sdFloor(),
                            a.zScore()));
                }
                b.append("</table>\n");
            }
        }
        b.append("<h2>Predicted labels</h2>\n").append(Html.img(labels(labelCounts))).append("\n");
        return Html.page(title, b.toString());
    }

    private static XYChart chart(String title, String y, List<TrendPoint> points, boolean sentiment, List<Alerts.Alert> alerts) {
        XYChart c = new XYChartBuilder().width(900).height(300).title(title).xAxisTitle("bucket (UTC)").yAxisTitle(y).build();
        c.getStyler().setLegendVisible(!alerts.isEmpty());
        // buckets are UTC instants: label them in UTC, with the hour when some bucket starts after midnight
        c.getStyler().setTimezone(UTC);
        c.getStyler().setDatePattern(points.stream().allMatch(p -> p.bucket().getEpochSecond() % 86_400 == 0) ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm");
        List<Date> x = points.stream().map(p -> Date.from(p.bucket())).toList();
        List<Double> v = points.stream().map(p -> sentiment ? p.meanPositive() : (double) p.documents()).toList();
        // a marker on every bucket that has documents, so a missing bucket (volume 0 for the alerts) shows as a gap in the markers
        c.addSeries(sentiment ? "mean positive probability" : "documents", x, v).setMarker(SeriesMarkers.CIRCLE);
        if (!alerts.isEmpty()) {
            List<Date> ax = new ArrayList<>();
            List<Double> ay = new ArrayList<>();
            for (Alerts.Alert a : alerts) {
                ax.add(Date.from(java.time.Instant.parse(a.bucket())));
                ay.add(a.value());
            }
            XYSeries marks = c.addSeries("alert", ax, ay);
            marks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            marks.setMarker(SeriesMarkers.DIAMOND);
            marks.setMarkerColor(Color.RED);
        }
        return c;
    }

    private static CategoryChart labels(Map<String, Long> counts) {
        CategoryChart c = new CategoryChartBuilder().width(600).height(300).title("Predicted label distribution")
                .xAxisTitle("label").yAxisTitle("documents").build();
        c.getStyler().setLegendVisible(false);
        List<String> names = new ArrayList<>(counts.keySet());
        c.addSeries("documents", names.isEmpty() ? List.of("none") : names,
                names.isEmpty() ? List.of(0L) : names.stream().map(counts::get).toList());
        return c;
    }
}
