package dev.nightjar.demo;

import dev.nightjar.eval.ModelComparison;
import dev.nightjar.jobs.Candidates;
import dev.nightjar.report.Html;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code transfer/report.html}: the task, then one row per candidate of {@link TransferDemo}. */
final class TransferReport {
    private TransferReport() {
    }

    @SuppressWarnings("unchecked")
    static String html(Map<String, Object> c, Map<String, ModelComparison.Result> test, Map<String, Double> means,
                       List<TransferDemo.Plan> plans) {
        Map<String, Object> task = (Map<String, Object>) c.get("task");
        Map<String, Object> training = (Map<String, Object>) c.get("training");
        Map<String, Object> pretraining = (Map<String, Object>) c.get("pretraining");
        int seeds = (Integer) ((Map<String, Object>) c.get("seeds")).get("seeds");
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<p>Pretraining: %d train images of %s (an autoencoder, labels unused, and a supervised CNN). "
                        + "New task: %s, %d labelled train images (%d per class), %d epochs at learning rate %s; tested on %d test "
                        + "images of those classes.</p>%n",
                (Long) task.get("pretrain_images"), Html.escape(String.valueOf(task.get("pretrain_classes"))),
                Html.escape(String.valueOf(task.get("target_classes"))), (Long) task.get("labelled_images"), (Integer) task.get("per_class"),
                (Integer) task.get("epochs"), task.get("learning_rate"), (Long) task.get("test_images")));
        b.append("<h2>Candidates on the test images</h2>\n<table>\n<tr><th>candidate</th><th>starts from</th><th>test accuracy</th>"
                + "<th>95% interval</th><th>vs scratch (points)</th><th>McNemar p</th>");
        if (seeds > 1) {
            b.append("<th>mean of ").append(seeds).append(" seeds</th>");
        }
        b.append("<th>training (min)</th></tr>\n");
        for (TransferDemo.Plan p : plans) {
            ModelComparison.Result r = test.get(p.name());
            ModelComparison.Paired v = r.vsReference();
            b.append("<tr><td>").append(Html.escape(p.name())).append("</td><td>").append(Html.escape(p.description())).append("</td>")
                    .append(String.format(Locale.ROOT, "<td>%.4f</td><td>[%.4f, %.4f]</td>", r.accuracy(), r.low(), r.high()))
                    .append(v == null ? "<td>reference</td><td></td>" : String.format(Locale.ROOT, "<td>%+.1f</td><td>%.3g</td>",
                            100 * v.difference(), v.mcnemarP()));
            if (seeds > 1) {
                b.append(String.format(Locale.ROOT, "<td>%.4f</td>", means.get(p.name())));
            }
            Candidates.Trained t = (Candidates.Trained) training.get(p.name());
            b.append(String.format(Locale.ROOT, "<td>%.1f</td></tr>%n", t.minutes()));
        }
        b.append("</table>\n<h2>Pretraining</h2>\n<table>\n<tr><th>model</th><th>epochs</th><th>validation</th><th>minutes</th></tr>\n");
        pretraining.forEach((name, v) -> {
            Map<String, Object> m = (Map<String, Object>) v;
            b.append("<tr><td>").append(Html.escape(name)).append("</td><td>").append(m.get("epochs")).append("</td><td>")
                    .append(Html.escape(validation((Map<String, Double>) m.get("validation")))).append("</td>")
                    .append(String.format(Locale.ROOT, "<td>%.1f</td></tr>%n", (Double) m.get("minutes")));
        });
        b.append("</table>\n");
        for (Object note : (List<Object>) c.get("notes")) {
            b.append("<p class=\"note\">").append(Html.escape(String.valueOf(note))).append("</p>\n");
        }
        return Html.page("Nightjar transfer demo", b.toString());
    }

    /** A run's validation metrics as "name value, ..." (4 significant digits); "none" without a validation split. */
    static String validation(Map<String, Double> metrics) {
        if (metrics == null || metrics.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        metrics.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format(Locale.ROOT, "%.4g", v)));
        return s.toString();
    }
}
