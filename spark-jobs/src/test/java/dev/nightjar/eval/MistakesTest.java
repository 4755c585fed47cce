package dev.nightjar.eval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The mistakes kept for the evaluation report: bounded per partition, the most confident, the same in any merge order. */
class MistakesTest {
    /** n one-pixel images; image i is true class 0, predicted class 1 with probability p[i] (class 0 when p[i] &lt; 0.5). */
    static Mistakes look(String record, int limit, double... p) {
        int n = p.length;
        INDArray features = Nd4j.zeros(n, 1, 1, 1);
        INDArray labels = Nd4j.zeros(n, 2);
        INDArray probabilities = Nd4j.zeros(n, 2);
        for (int i = 0; i < n; i++) {
            features.putScalar(new int[] {i, 0, 0, 0}, i / 10.0);
            labels.putScalar(i, 0, 1);
            probabilities.putScalar(i, 0, 1 - p[i]);
            probabilities.putScalar(i, 1, p[i]);
        }
        Mistakes m = new Mistakes(limit);
        m.look(record, features, labels, probabilities);
        return m;
    }

    static List<String> ids(Mistakes m) {
        return m.list().stream().map(k -> k.record() + "#" + k.index() + "@" + k.confidence()).toList();
    }

    @Test
    void keepsTheMostConfidentMistakesOnlyUpToTheLimitInAnyMergeOrder() {
        Mistakes a = look("a", 3, 0.9, 0.2, 0.6, 0.95, 0.7); // 0.2 is right (class 0)
        assertEquals(List.of("a#3@0.95", "a#0@0.9", "a#4@0.7"), ids(a));
        assertEquals(0.4f, a.list().get(2).pixels()[0], 1f / 255, "its pixels, as bytes");
        assertEquals(1, a.list().get(0).predicted());
        assertEquals(0, a.list().get(0).actual());

        Mistakes ab = look("a", 3, 0.9, 0.2, 0.6, 0.95, 0.7).merge(look("b", 3, 0.8, 0.97, 0.9));
        Mistakes ba = look("b", 3, 0.8, 0.97, 0.9).merge(look("a", 3, 0.9, 0.2, 0.6, 0.95, 0.7));
        assertEquals(List.of("b#1@0.97", "a#3@0.95", "a#0@0.9"), ids(ab));
        assertEquals(ids(ab), ids(ba), "ties (0.9 in a and b) broken by record, so the order of merging does not matter");
        assertEquals(List.of(), look("c", 0, 0.9).list(), "none kept when none are asked for");
    }
}
