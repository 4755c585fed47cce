package dev.nightjar.train;

import dev.nightjar.report.Html;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.List;
import java.util.Map;

/**
 * {@code report.html}: loss and throughput curves (XChart, embedded as PNG data URIs so the
 * page opens with no network), the resolved config and the data summary.
 */
public final class TrainingReport {
    public static final String FILE = "report.html";

    private TrainingReport() {
    }

    /** @param lossUnit what the training loss is measured in (per example, nats per token) */
    public static String html(String title, List<SegmentMetrics> metrics, String lossUnit, String config, Map<String, Object> summary) {
        return html(title, metrics, lossUnit, config, summary, "");
    }

    /**
     * @param lossUnit what the training loss is measured in (per example, nats per token, per pixel)
     * @param figures  HTML sections after the curves (an autoencoder's sample reconstructions, a sample of augmented
     *                 images), or empty
     */
    public static String html(String title, List<SegmentMetrics> metrics, String lossUnit, String config, Map<String, Object> summary,
                              String figures) {
        StringBuilder rows = new StringBuilder();
        summary.forEach((k, v) -> rows.append("<tr><th>").append(Html.escape(k)).append("</th><td>").append(Html.escape(String.valueOf(v))).append("</td></tr>\n"));
        String head = "<h2>Summary</h2>\n<table>\n" + rows + "</table>\n";
        String tail = "<h2>Config</h2>\n<pre>" + Html.escape(config) + "</pre>\n";
        if (metrics.isEmpty()) {
            // a run resumed from a checkpoint taken after its last segment trains nothing more
            return Html.page(title, head + "<h2>Curves</h2>\n<p>No segment was trained in this run (see metrics.jsonl).</p>\n" + figures + tail);
        }
        double[] seen = metrics.stream().mapToDouble(SegmentMetrics::examplesSeen).toArray();
        XYChart loss = chart("Training loss", "examples seen", lossUnit);
        loss.addSeries("train loss", seen, metrics.stream().mapToDouble(SegmentMetrics::trainLoss).toArray()).setMarker(SeriesMarkers.NONE);
        XYChart speed = chart("Throughput", "examples seen", "examples/s");
        speed.addSeries("examples/s", seen, metrics.stream().mapToDouble(SegmentMetrics::examplesPerSecond).toArray()).setMarker(SeriesMarkers.NONE);
        List<SegmentMetrics> validated = metrics.stream().filter(m -> m.mainValidation() != null).toList();
        String validation = "";
        if (!validated.isEmpty()) {
            String name = validated.get(0).validation().keySet().iterator().next().replace('_', ' ');
            XYChart val = chart("Validation " + name + " after each epoch", "epoch", name);
            val.addSeries("validation " + name, validated.stream().mapToDouble(m -> m.epoch() + 1).toArray(),
                    validated.stream().mapToDouble(SegmentMetrics::mainValidation).toArray());
            validation = Html.img(val) + "\n";
        }
        return Html.page(title, head + "<h2>Curves</h2>\n" + Html.img(loss) + "\n" + validation + Html.img(speed) + "\n" + figures + tail);
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(900).height(360).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendVisible(false);
        return c;
    }
}
