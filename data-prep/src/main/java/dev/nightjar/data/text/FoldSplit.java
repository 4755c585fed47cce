package dev.nightjar.data.text;

import dev.nightjar.data.Splits;
import org.apache.spark.sql.api.java.UDF2;

/**
 * The split of a document in fold {@code fold} of {@code folds}-fold cross-validation, from its rank
 * among its label's documents ordered by seeded hash (0-based) and the number of them:
 * <ul>
 *   <li>test when {@code rank % folds == fold}, so across the folds every document is in test once,
 *       and each fold's test holds 1/folds of the label (to one document);</li>
 *   <li>of the rest, ranked again in the same order, validation takes round(valFraction * n), spread
 *       evenly (the s-th is validation when floor((s + 1) V / m) > floor(s V / m)), so validation
 *       holds valFraction of the whole label;</li>
 *   <li>the others are train.</li>
 * </ul>
 * Used as a Spark SQL function over ({@code row_number}, its largest value) in a window per label over the
 * label's distinct hashes; {@link #of} is the rule.
 */
public final class FoldSplit implements UDF2<Integer, Integer, String> {
    private static final long serialVersionUID = 1L;

    private final int folds;
    private final int fold;
    private final double valFraction;

    /**
     * @param folds       k >= 2
     * @param fold        the test fold, in [0, k)
     * @param valFraction share of each label for validation, in [0, 1 - 1/k)
     */
    public FoldSplit(int folds, int fold, double valFraction) {
        if (folds < 2 || fold < 0 || fold >= folds || valFraction < 0 || valFraction >= 1 - 1.0 / folds) {
            throw new IllegalArgumentException("folds " + folds + ", fold " + fold + ", val-fraction " + valFraction);
        }
        this.folds = folds;
        this.fold = fold;
        this.valFraction = valFraction;
    }

    /**
     * @param rankFromOne the document's 1-based rank in its label ({@code row_number} over the distinct hashes)
     * @param n           the label's count (the largest rank)
     */
    @Override
    public String call(Integer rankFromOne, Integer n) {
        return of(rankFromOne - 1L, n, folds, fold, valFraction);
    }

    /** test, validation or train for the document at 0-based {@code rank} of {@code n} in its label. */
    public static String of(long rank, long n, int folds, int fold, double valFraction) {
        if (rank < 0 || rank >= n) {
            throw new IllegalArgumentException("rank " + rank + " of " + n);
        }
        if (rank % folds == fold) {
            return Splits.TEST;
        }
        long test = fold < n ? (n - 1 - fold) / folds + 1 : 0;
        long rest = n - test;
        long val = Math.min(rest, Math.round(valFraction * n));
        long s = rank - rank / folds - (rank % folds > fold ? 1 : 0); // rank among the rest
        boolean validation = Math.multiplyExact(s + 1, val) / rest > Math.multiplyExact(s, val) / rest;
        return validation ? Splits.VALIDATION : Splits.TRAIN;
    }
}
