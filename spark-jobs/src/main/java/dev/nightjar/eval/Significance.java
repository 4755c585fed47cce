package dev.nightjar.eval;

/**
 * Small statistics for comparing models on the same examples, in plain Java: a 95% Wilson interval
 * for an accuracy, the exact McNemar test on paired predictions, and a mean with its sample standard
 * deviation (for accuracies over folds or seeds).
 *
 * <p>The McNemar p-value sums binomial probabilities in log space, from Loader's saddle-point form
 * of the binomial density (as R's {@code dbinom} computes it), so it neither overflows nor loses
 * precision for millions of discordant pairs.
 */
public final class Significance {
    /** The 0.975 quantile of the standard normal: a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    private static final double LN_2PI = 1.8378770664093454835606594728112;

    /** log(n!) - log(sqrt(2 pi n) (n/e)^n) for n = 0..15 (0 for n = 0, never used). */
    private static final double[] STIRLERR = {
            0.0,
            0.08106146679532726, 0.0413406959554093, 0.02767792568499834, 0.020790672103765093,
            0.016644691189821193, 0.013876128823070748, 0.01189670994589177, 0.010411265261972096,
            0.009255462182712733, 0.00833056343336287, 0.007573675487951841, 0.00694284010720953,
            0.006408994188004207, 0.0059513701127588475, 0.005554733551962801,
    };

    private Significance() {
    }

    /** A confidence interval, {@code low <= high}. */
    public record Interval(double low, double high) {
    }

    /**
     * Mean and sample standard deviation (divided by n - 1).
     *
     * @param sd NaN when n = 1
     */
    public record MeanSd(int n, double mean, double sd) {
    }

    /**
     * Two models' predictions on the same n examples.
     *
     * @param accuracyA  share of examples model A gets right
     * @param accuracyB  share of examples model B gets right
     * @param b          examples A gets right and B wrong
     * @param c          examples A gets wrong and B right
     * @param difference {@code accuracyA - accuracyB} = (b - c) / n
     * @param p          the exact two-sided McNemar p-value of b and c
     */
    public record Paired(int n, double accuracyA, double accuracyB, long b, long c, double difference, double p) {
    }

    /**
     * The 95% Wilson score interval of an accuracy, {@code correct} of {@code n}.
     *
     * @throws IllegalArgumentException when n = 0 (no accuracy to bound) or not 0 <= correct <= n
     */
    public static Interval wilson(long correct, long n) {
        if (n <= 0 || correct < 0 || correct > n) {
            throw new IllegalArgumentException("a Wilson interval needs 0 <= correct <= n and n > 0, got " + correct + " of " + n);
        }
        double p = (double) correct / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Interval(Math.max(0, center - half), Math.min(1, center + half));
    }

    /**
     * The exact two-sided McNemar test: {@code min(1, 2 P[X <= min(b, c)])} with X ~ Binomial(b + c, 1/2);
     * 1 when b + c = 0. A p-value below the smallest double is 0.
     *
     * @param b pairs model A gets right and model B wrong
     * @param c pairs model A gets wrong and model B right
     */
    public static double mcnemarExactP(long b, long c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("discordant pair counts must be >= 0, got b=" + b + ", c=" + c);
        }
        if (b == c) {
            return 1.0; // P[X <= n/2] >= 1/2; also covers b + c = 0
        }
        long n = Math.addExact(b, c);
        long m = Math.min(b, c);
        // P[X <= m] = t_m (1 + t_{m-1}/t_m + t_{m-2}/t_m + ...), t_{i-1}/t_i = i / (n - i + 1) <= 1 for m < n/2
        double sum = 1;
        double term = 1;
        for (long i = m; i > 0; i--) {
            term *= (double) i / (n - i + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        double logLower = logBinomialHalf(m, n) + Math.log(sum);
        return Math.min(1.0, 2 * Math.exp(logLower));
    }

    /** Mean and sample standard deviation of at least one value (Welford's update, stable for large means). */
    public static MeanSd meanSd(double[] xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("the mean of no values");
        }
        double mean = 0;
        double m2 = 0;
        for (int i = 0; i < xs.length; i++) {
            double d = xs[i] - mean;
            mean += d / (i + 1);
            m2 += d * (xs[i] - mean);
        }
        return new MeanSd(xs.length, mean, xs.length < 2 ? Double.NaN : Math.sqrt(m2 / (xs.length - 1)));
    }

    /**
     * Two models' correctness on the same examples, element by element: accuracies, the discordant
     * counts and the exact McNemar p-value.
     */
    public static Paired paired(boolean[] aCorrect, boolean[] bCorrect) {
        if (aCorrect.length != bCorrect.length || aCorrect.length == 0) {
            throw new IllegalArgumentException("paired predictions need the same, non-zero number of examples, got "
                    + aCorrect.length + " and " + bCorrect.length);
        }
        long a = 0;
        long bothB = 0;
        long b = 0;
        long c = 0;
        for (int i = 0; i < aCorrect.length; i++) {
            a += aCorrect[i] ? 1 : 0;
            bothB += bCorrect[i] ? 1 : 0;
            b += aCorrect[i] && !bCorrect[i] ? 1 : 0;
            c += !aCorrect[i] && bCorrect[i] ? 1 : 0;
        }
        int n = aCorrect.length;
        return new Paired(n, (double) a / n, (double) bothB / n, b, c, (double) (b - c) / n, mcnemarExactP(b, c));
    }

    /** log P[X = x] for X ~ Binomial(n, 1/2): Loader's saddle-point form, accurate to a few ulps for any n. */
    static double logBinomialHalf(long x, long n) {
        if (x == 0 || x == n) {
            return n * -Math.log(2);
        }
        double half = n / 2.0;
        double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, half) - bd0(n - x, half);
        double lf = LN_2PI + Math.log(x) + Math.log1p(-(double) x / n);
        return lc - 0.5 * lf;
    }

    /** log(n!) - log(sqrt(2 pi n) (n/e)^n), n >= 1. */
    static double stirlerr(long n) {
        if (n < STIRLERR.length) {
            return STIRLERR[(int) n];
        }
        final double s0 = 1.0 / 12;
        final double s1 = 1.0 / 360;
        final double s2 = 1.0 / 1260;
        final double s3 = 1.0 / 1680;
        final double s4 = 1.0 / 1188;
        double nn = (double) n * n;
        if (n > 500) {
            return (s0 - s1 / nn) / n;
        }
        if (n > 80) {
            return (s0 - (s1 - s2 / nn) / nn) / n;
        }
        if (n > 35) {
            return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
        }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
    }

    /** x log(x / np) + np - x, without cancellation when x is near np. */
    static double bd0(double x, double np) {
        if (Math.abs(x - np) < 0.1 * (x + np)) {
            double v = (x - np) / (x + np);
            double s = (x - np) * v;
            double ej = 2 * x * v;
            v = v * v;
            for (int j = 1; j < 1000; j++) {
                ej *= v;
                double s1 = s + ej / (2 * j + 1);
                if (s1 == s) {
                    return s1;
                }
                s = s1;
            }
            return s;
        }
        return x * Math.log(x / np) + np - x;
    }
}
