package dev.nightjar.eval;

import dev.nightjar.model.ImageShape;
import dev.nightjar.report.Html;
import dev.nightjar.report.CaptionedGrid;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html} of a classifier's evaluation, beside metrics.json: the confusion matrix as a heat
 * map and as a table of counts, per-class precision and recall bars and, for images, a grid of the
 * most confident mistakes (true → predicted).
 */
public final class EvaluationReport {
    public static final String FILE = "report.html";
    /** Misclassified images shown. */
    public static final int MISTAKES_SHOWN = 64;
    /** Cell values are written on the heat map up to this many classes. */
    private static final int MAX_LABELLED_CLASSES = 20;
    private static final int GRID_COLUMNS = 8;

    private EvaluationReport() {
    }

    /** @param mistakes the most confident misclassified images (empty for text) */
    public static String html(ClassificationMetrics m, List<Mistake> mistakes) {
        long errors = m.examples();
        for (int i = 0; i < m.labels().size(); i++) {
            errors -= m.confusionMatrix()[i][i];
        }
        StringBuilder body = new StringBuilder();
        body.append(String.format(Locale.ROOT, "<p>Model <code>%s</code>, %s split: %d examples, accuracy %.4f, macro-F1 %.4f%s.</p>%n",
                Html.escape(m.model()), Html.escape(m.split()), m.examples(), m.accuracy(), m.macroF1(),
                m.rocAuc() == null ? "" : String.format(Locale.ROOT, ", ROC-AUC %.4f", m.rocAuc())));
        body.append("<h2>Confusion matrix</h2>\n<p>Rows: the true class; columns: the predicted class; each cell the share (%) of its "
                + "true class, so the diagonal is each class's recall.</p>\n");
        body.append(Html.img(heatMap(m))).append('\n');
        body.append(countsTable(m));
        body.append("<h2>Precision and recall per class</h2>\n").append(Html.img(bars(m))).append('\n');
        if (!mistakes.isEmpty()) {
            Mistake first = mistakes.get(0);
            ImageShape shape = new ImageShape(first.channels(), first.height(), first.width());
            List<CaptionedGrid.Cell> cells = new ArrayList<>();
            for (Mistake k : mistakes) {
                cells.add(new CaptionedGrid.Cell(k.pixels(), String.format(Locale.ROOT, "%s → %s %.0f%%", m.labels().get(k.actual()),
                        m.labels().get(k.predicted()), 100.0 * k.confidence())));
            }
            body.append("<h2>Misclassified images</h2>\n<p>The ").append(mistakes.size()).append(" most confident of ").append(errors)
                    .append(" mistakes: true class → predicted class, and the probability the model gave it.</p>\n")
                    .append(Html.img(CaptionedGrid.render(cells, shape, GRID_COLUMNS), "misclassified images")).append('\n');
        }
        return Html.page("Nightjar evaluation", body.toString());
    }

    static HeatMapChart heatMap(ClassificationMetrics m) {
        int k = m.labels().size();
        int side = Math.min(1000, 260 + 40 * k);
        HeatMapChart c = new HeatMapChartBuilder().width(side + 120).height(side).title("Confusion matrix (% of the true class)")
                .xAxisTitle("predicted").yAxisTitle("true").build();
        c.getStyler().setShowValue(k <= MAX_LABELLED_CLASSES);
        c.getStyler().setHeatMapValueDecimalPattern("0");
        c.getStyler().setMin(0);
        c.getStyler().setMax(100);
        c.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0xfd, 0xd4, 0x9e), new Color(0xe3, 0x4a, 0x33), new Color(0x7f, 0, 0)});
        c.getStyler().setXAxisLabelRotation(k > 5 ? 45 : 0);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        List<String> reversed = new ArrayList<>(m.labels());
        java.util.Collections.reverse(reversed); // the first class at the top
        List<Number[]> cells = new ArrayList<>();
        for (int a = 0; a < k; a++) {
            long support = m.perClass().get(a).support();
            for (int p = 0; p < k; p++) {
                double share = support == 0 ? 0 : 100.0 * m.confusionMatrix()[a][p] / support;
                cells.add(new Number[] {p, k - 1 - a, share});
            }
        }
        c.addSeries("share of the true class (%)", m.labels(), reversed, cells);
        return c;
    }

    static CategoryChart bars(ClassificationMetrics m) {
        int k = m.labels().size();
        CategoryChart c = new CategoryChartBuilder().width(Math.min(1600, 300 + 50 * k)).height(400).title("Precision and recall per class")
                .xAxisTitle("class").yAxisTitle("").build();
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        c.getStyler().setXAxisLabelRotation(k > 5 ? 45 : 0);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        c.addSeries("precision", m.labels(), m.perClass().stream().map(ClassificationMetrics.PerClass::precision).toList());
        c.addSeries("recall", m.labels(), m.perClass().stream().map(ClassificationMetrics.PerClass::recall).toList());
        return c;
    }

    private static String countsTable(ClassificationMetrics m) {
        StringBuilder t = new StringBuilder("<details><summary>Counts</summary>\n<table>\n<tr><th>true \\ predicted</th>");
        m.labels().forEach(l -> t.append("<th>").append(Html.escape(l)).append("</th>"));
        t.append("</tr>\n");
        for (int a = 0; a < m.labels().size(); a++) {
            t.append("<tr><th>").append(Html.escape(m.labels().get(a))).append("</th>");
            for (long n : m.confusionMatrix()[a]) {
                t.append("<td>").append(n).append("</td>");
            }
            t.append("</tr>\n");
        }
        return t.append("</table>\n</details>\n").toString();
    }
}
