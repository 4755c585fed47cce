package dev.nightjar.eval;

import org.nd4j.evaluation.classification.Evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code metrics.json} of a classifier: accuracy, macro-F1, per-class precision/recall/F1, the
 * confusion matrix (rows: actual, columns: predicted) and, for two classes, the ROC-AUC of the
 * second label (null otherwise). The same schema for every model, the MLlib baseline's included.
 *
 * @param model what was evaluated (fine-tuned, scratch, baseline, a model directory)
 */
public record ClassificationMetrics(String model, String split, long examples, double accuracy, double macroF1, Double rocAuc,
                                    List<PerClass> perClass, List<String> labels, long[][] confusionMatrix) {

    public record PerClass(String label, double precision, double recall, double f1, long support) {
    }

    public static ClassificationMetrics of(String model, String split, ClassifierEvaluation ce, List<String> labels) {
        return of(model, split, ce.evaluation(), ce.rocAuc(), labels);
    }

    public static ClassificationMetrics of(String model, String split, Evaluation e, Double rocAuc, List<String> labels) {
        int k = labels.size();
        List<PerClass> per = new ArrayList<>();
        long[][] cm = new long[k][k];
        for (int a = 0; a < k; a++) {
            long support = 0;
            for (int p = 0; p < k; p++) {
                cm[a][p] = e.getConfusionMatrix().getCount(a, p);
                support += cm[a][p];
            }
            per.add(new PerClass(labels.get(a), nanToZero(e.precision(a)), nanToZero(e.recall(a)), nanToZero(e.f1(a)), support));
        }
        // macro-F1 is the mean of the per-class F1 scores (DL4J's own macro F1 is the F1 of macro precision and recall)
        double macroF1 = per.stream().mapToDouble(PerClass::f1).average().orElse(0);
        return new ClassificationMetrics(model, split, e.getNumRowCounter(), e.accuracy(), macroF1,
                rocAuc, per, List.copyOf(labels), cm);
    }

    /** For metrics.jsonl and the report: accuracy first. */
    public java.util.Map<String, Double> summary() {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("accuracy", accuracy);
        m.put("macro_f1", macroF1);
        if (rocAuc != null) {
            m.put("roc_auc", rocAuc);
        }
        return m;
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** A readable table for the console. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        int w = Math.max(8, labels.stream().mapToInt(String::length).max().orElse(8));
        sb.append(String.format(Locale.ROOT, "%-" + w + "s  %9s  %9s  %9s  %8s%n", "label", "precision", "recall", "f1", "support"));
        for (PerClass p : perClass) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %9.4f  %9.4f  %9.4f  %8d%n", p.label(), p.precision(), p.recall(), p.f1(), p.support()));
        }
        sb.append(String.format(Locale.ROOT, "%n%s split: %d examples, accuracy %.4f, macro-F1 %.4f%s%n", split, examples, accuracy, macroF1,
                rocAuc == null ? "" : String.format(Locale.ROOT, ", ROC-AUC %.4f", rocAuc)));
        return sb.toString();
    }
}
