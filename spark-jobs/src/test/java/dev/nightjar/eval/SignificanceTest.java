package dev.nightjar.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Significance against values computed by hand or, for large counts, independently with exact arithmetic. */
class SignificanceTest {
    @Test
    void mcnemarSmallCountsByHand() {
        // b=1, c=6: n=7, P[X<=1] = (C(7,0) + C(7,1)) / 2^7 = (1 + 7) / 128; p = 2 * 8/128 = 0.125
        assertEquals(0.125, Significance.mcnemarExactP(1, 6), 1e-15);
        assertEquals(0.125, Significance.mcnemarExactP(6, 1), 1e-15, "symmetric in b and c");
        // b=0, c=5: P[X<=0] = 1/32; p = 2/32 = 0.0625
        assertEquals(0.0625, Significance.mcnemarExactP(0, 5), 1e-15);
        // b=10, c=0: P[X<=0] = 1/1024; p = 2/1024
        assertEquals(2.0 / 1024, Significance.mcnemarExactP(10, 0), 1e-17);
        // b=2, c=8: P[X<=2] = (1 + 10 + 45) / 1024 = 56/1024; p = 112/1024 = 0.109375
        assertEquals(0.109375, Significance.mcnemarExactP(2, 8), 1e-15);
        // b=4, c=5: P[X<=4] = 256/512 = 1/2 (symmetry of n=9); p = min(1, 1) = 1
        assertEquals(1.0, Significance.mcnemarExactP(4, 5), 1e-15);
        // b=c: 1, and no discordant pair at all: 1
        assertEquals(1.0, Significance.mcnemarExactP(7, 7));
        assertEquals(1.0, Significance.mcnemarExactP(0, 0));
    }

    @Test
    void mcnemarLargeCountsAgainstExactArithmetic() {
        // python3, integers: n=b+c, m=min(b,c); s = sum(math.comb(n, i) for i in range(m+1));
        // float(min(Fraction(1), Fraction(2*s, 2**n)))
        assertEquals(0.001029736761268161, Significance.mcnemarExactP(4000, 4300), 1e-12 * 0.001029736761268161);
        assertEquals(0.2713310871439329, Significance.mcnemarExactP(4000, 4100), 1e-12 * 0.2713310871439329);
        assertEquals(2.588716038346898e-10, Significance.mcnemarExactP(49_000, 51_000), 1e-11 * 2.588716038346898e-10);
        // millions of pairs: python3 with 40-digit decimals, terms t_i / t_m by the ratio i / (n - i + 1) summed both ways
        // from m and normalised by their total (no log-gamma): 0.15771445281311985 and 5.936707170282902e-07
        assertEquals(0.15771445281311985, Significance.mcnemarExactP(1_000_000, 1_002_000), 1e-10 * 0.15771445281311985);
        assertEquals(5.936707170282902e-07, Significance.mcnemarExactP(2_010_000, 2_000_000), 1e-10 * 5.936707170282902e-07);
        // 3 against 3000: p ~ 1e-894 is below the smallest double; 0, not NaN
        assertEquals(0.0, Significance.mcnemarExactP(3, 3000));
        assertEquals(1.0, Significance.mcnemarExactP(500_000_000L, 500_000_000L));
        double p = Significance.mcnemarExactP(499_990_000L, 500_010_000L);
        assertTrue(p > 0 && p < 1, "a billion pairs, no overflow: " + p);
        assertThrows(IllegalArgumentException.class, () -> Significance.mcnemarExactP(-1, 3));
    }

    @Test
    void wilsonByTheFormula() {
        // 720 of 800: p = 0.9, z = 1.959963984540054, z^2 = 3.841458820694125
        // denominator = 1 + z^2/n = 1.004801823525868
        // center = (p + z^2/(2n)) / denominator = (0.9 + 0.002400911762934) / 1.004801823525868 = 0.898088449517730
        // half = z * sqrt(p(1-p)/n + z^2/(4n^2)) / denominator
        //      = 1.959963984540054 * sqrt(0.0001125 + 0.0000015005698518) / 1.004801823525868 = 0.020826734831872
        // low = 0.877261714685858, high = 0.918915184349602
        Significance.Interval w = Significance.wilson(720, 800);
        assertEquals(0.8772617146858576, w.low(), 1e-9);
        assertEquals(0.9189151843496016, w.high(), 1e-9);
        // 0 of 10: center = half = (z^2/20) / (1 + z^2/10) , so [0, 2 * 0.192072941 / 1.384145882] = [0, 0.277532800]
        Significance.Interval none = Significance.wilson(0, 10);
        assertEquals(0.0, none.low(), 1e-12);
        assertEquals(0.2775327998628892, none.high(), 1e-9);
        Significance.Interval all = Significance.wilson(10, 10);
        assertEquals(1 - 0.2775327998628892, all.low(), 1e-9, "mirror image of 0 of 10");
        assertEquals(1.0, all.high(), 1e-12);
        // n = 0 has no accuracy to bound: an error, not [0, 1]
        assertThrows(IllegalArgumentException.class, () -> Significance.wilson(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Significance.wilson(11, 10));
    }

    @Test
    void meanAndSampleSd() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32; sd = sqrt(32/7)
        Significance.MeanSd m = Significance.meanSd(new double[]{2, 4, 4, 4, 5, 5, 7, 9});
        assertEquals(8, m.n());
        assertEquals(5.0, m.mean(), 1e-15);
        assertEquals(Math.sqrt(32.0 / 7), m.sd(), 1e-15);
        // a large offset loses nothing: 1e9 + (1, 2, 3): mean 1e9 + 2, sd = sqrt((1 + 0 + 1)/2) = 1
        Significance.MeanSd big = Significance.meanSd(new double[]{1e9 + 1, 1e9 + 2, 1e9 + 3});
        assertEquals(1e9 + 2, big.mean(), 1e-6);
        assertEquals(1.0, big.sd(), 1e-9);
        assertTrue(Double.isNaN(Significance.meanSd(new double[]{0.7}).sd()), "one value: no sample sd");
        assertThrows(IllegalArgumentException.class, () -> Significance.meanSd(new double[0]));
    }

    @Test
    void pairedCountsDiscordantExamples() {
        // 10 examples: both right 2, A only 1 (b), B only 6 (c), both wrong 1
        boolean[] a = {true, true, true, false, false, false, false, false, false, false};
        boolean[] b = {true, true, false, true, true, true, true, true, true, false};
        Significance.Paired p = Significance.paired(a, b);
        assertEquals(10, p.n());
        assertEquals(0.3, p.accuracyA(), 1e-15);
        assertEquals(0.8, p.accuracyB(), 1e-15);
        assertEquals(1, p.b());
        assertEquals(6, p.c());
        assertEquals(-0.5, p.difference(), 1e-15);
        assertEquals(0.125, p.p(), 1e-15, "b=1, c=6 as above");
        assertThrows(IllegalArgumentException.class, () -> Significance.paired(a, new boolean[3]));
        assertThrows(IllegalArgumentException.class, () -> Significance.paired(new boolean[0], new boolean[0]));
    }
}
