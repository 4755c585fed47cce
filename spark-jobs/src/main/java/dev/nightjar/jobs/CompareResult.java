package dev.nightjar.jobs;

import dev.nightjar.eval.ModelComparison;
import dev.nightjar.eval.Significance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code compare.json} holds: every candidate's test accuracy on each of the k folds, their mean
 * and sample standard deviation, and against the reference the per-fold differences, the folds won
 * and McNemar's exact test on the pooled test predictions (each document is tested exactly once over
 * the folds, so the pooled pairs are independent documents).
 *
 * @param folds      k
 * @param documents  test documents over all folds: the corpus's usable documents, each once
 * @param reference  the candidate the others are paired with
 * @param candidates by name, in the order compared
 * @param datasets   per fold, the prepared datasets and the candidates that trained on each
 * @param notes      how to read it
 */
public record CompareResult(int folds, long documents, String reference, Map<String, Summary> candidates,
                            List<Map<String, List<String>>> datasets, List<String> notes) {
    /** The p below which a pooled McNemar test calls a difference; at or above it the pair is a tie. */
    public static final double ALPHA = 0.05;

    /**
     * One candidate on one fold.
     *
     * @param low                    95% Wilson interval of the accuracy
     * @param trainExamplesPerSecond null for the baseline
     * @param vsReference            this fold's paired comparison with the reference; null for the reference
     */
    public record Fold(int fold, long documents, long correct, double accuracy, double low, double high, double trainMinutes,
                       Double trainExamplesPerSecond, double scoringDocsPerSecond, ModelComparison.Paired vsReference) {
    }

    /**
     * One candidate over the folds.
     *
     * @param kind      its family, or the MLlib pipeline
     * @param mean      mean of the per-fold accuracies
     * @param sd        their sample standard deviation (n - 1)
     * @param pooled    correct / documents over all folds
     * @param meanTrainExamplesPerSecond null for the baseline
     * @param vsReference null for the reference
     */
    public record Summary(String kind, List<Fold> folds, double mean, double sd, double min, double max, long documents, long correct,
                          double pooled, double meanTrainMinutes, Double meanTrainExamplesPerSecond, double meanScoringDocsPerSecond,
                          VsReference vsReference) {
    }

    /**
     * A candidate against the reference over the folds.
     *
     * @param differences    per fold, this accuracy minus the reference's
     * @param mean           their mean
     * @param sd             their sample standard deviation
     * @param foldsWon       folds where this candidate was more accurate
     * @param foldsLost      folds where the reference was
     * @param onlyReference  test documents only the reference got right, summed over the folds (McNemar's b)
     * @param onlyThis       test documents only this candidate got right (c)
     * @param mcnemarP       exact two-sided McNemar p of the pooled b and c
     * @param verdict        better or worse (p &lt; 0.05), else tie
     */
    public record VsReference(String reference, List<Double> differences, double mean, double sd, int foldsWon, int foldsLost,
                              long onlyReference, long onlyThis, double mcnemarP, String verdict) {
    }

    /**
     * Sums up the folds.
     *
     * @param perFold  per fold, {@link ModelComparison#run}'s results with the reference
     * @param training per candidate, its training on each fold
     */
    public static CompareResult of(String reference, List<Map<String, ModelComparison.Result>> perFold,
                                   Map<String, List<Candidates.Trained>> training, List<Map<String, List<String>>> datasets) {
        Map<String, Summary> summaries = new LinkedHashMap<>();
        for (String name : perFold.get(0).keySet()) {
            List<Fold> folds = new ArrayList<>();
            for (int i = 0; i < perFold.size(); i++) {
                ModelComparison.Result r = perFold.get(i).get(name);
                Candidates.Trained t = training.get(name).get(i);
                folds.add(new Fold(i, r.documents(), r.correct(), r.accuracy(), r.low(), r.high(), t.minutes(), t.examplesPerSecond(),
                        r.docsPerSecond(), r.vsReference()));
            }
            summaries.put(name, summary(perFold.get(0).get(name).kind(), folds, name.equals(reference) ? null : reference));
        }
        long documents = summaries.get(reference).documents();
        return new CompareResult(perFold.size(), documents, reference, summaries, datasets, List.of(
                "Each candidate was trained k times, once per fold, on the other folds' documents (less validation), and tested "
                        + "on the fold: the same folds for every candidate, every document tested exactly once.",
                "mean and sd: of the k test accuracies; sd is the spread from fold to fold (training and test sample), not "
                        + "the error of the mean (that is about sd / sqrt(k)). low/high per fold: 95% Wilson interval.",
                "vs_reference: per-fold differences (this minus the reference), folds won and lost, and McNemar's exact "
                        + "two-sided test on the pooled test predictions (b + c discordant documents over all folds); "
                        + "p >= " + ALPHA + " is a tie at this corpus's size. With few folds, folds won is only a hint.",
                "train_minutes and examples/s: that fold's training (the baseline: all its regularisation strengths); "
                        + "scoring docs/s: the fold's test documents read as score reads them."));
    }

    private static Summary summary(String kind, List<Fold> folds, String reference) {
        double[] acc = folds.stream().mapToDouble(Fold::accuracy).toArray();
        Significance.MeanSd a = Significance.meanSd(acc);
        long documents = folds.stream().mapToLong(Fold::documents).sum();
        long correct = folds.stream().mapToLong(Fold::correct).sum();
        boolean throughput = folds.stream().allMatch(f -> f.trainExamplesPerSecond() != null);
        VsReference vs = null;
        if (reference != null) {
            double[] diff = folds.stream().mapToDouble(f -> f.vsReference().difference()).toArray();
            Significance.MeanSd d = Significance.meanSd(diff);
            long b = folds.stream().mapToLong(f -> f.vsReference().onlyReference()).sum();
            long c = folds.stream().mapToLong(f -> f.vsReference().onlyThis()).sum();
            double p = Significance.mcnemarExactP(b, c);
            vs = new VsReference(reference, Arrays.stream(diff).boxed().toList(), d.mean(), d.sd(),
                    (int) Arrays.stream(diff).filter(x -> x > 0).count(), (int) Arrays.stream(diff).filter(x -> x < 0).count(),
                    b, c, p, p >= ALPHA ? "tie" : c > b ? "better" : "worse");
        }
        return new Summary(kind, List.copyOf(folds), a.mean(), a.sd(), Arrays.stream(acc).min().orElseThrow(),
                Arrays.stream(acc).max().orElseThrow(), documents, correct, (double) correct / documents,
                folds.stream().mapToDouble(Fold::trainMinutes).average().orElseThrow(),
                throughput ? folds.stream().mapToDouble(Fold::trainExamplesPerSecond).average().orElseThrow() : null,
                folds.stream().mapToDouble(Fold::scoringDocsPerSecond).average().orElseThrow(), vs);
    }

    /** The table {@code nightjar compare} prints: a line per candidate. */
    public String table() {
        int name = Math.max(9, candidates.keySet().stream().mapToInt(String::length).max().orElse(0));
        int kind = Math.max(6, candidates.values().stream().mapToInt(s -> s.kind().length()).max().orElse(0));
        String row = "%-" + name + "s  %-" + kind + "s  %-18s  %-12s  %-9s  %s";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, row, "candidate", "family", "accuracy (" + folds + " folds)", "vs " + abbreviate(reference, 9),
                "folds won", "McNemar p (pooled)").stripTrailing()).append('\n');
        for (Map.Entry<String, Summary> e : candidates.entrySet()) {
            Summary s = e.getValue();
            VsReference v = s.vsReference();
            out.append(String.format(Locale.ROOT, row, e.getKey(), s.kind(), String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.sd()),
                    v == null ? "reference" : String.format(Locale.ROOT, "%+.4f", v.mean()),
                    v == null ? "" : v.foldsWon() + " of " + folds,
                    v == null ? "" : String.format(Locale.ROOT, "%.4g (%s)", v.mcnemarP(), v.verdict())).stripTrailing()).append('\n');
        }
        out.append(String.format(Locale.ROOT, "(%,d test documents over %d folds, each tested once; mean ± sd over the folds; "
                + "\"tie\": McNemar p >= %s)%n", documents, folds, ALPHA));
        return out.toString();
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
