package dev.nightjar.model.transformer;

import dev.nightjar.model.Network;
import dev.nightjar.model.Optimizer;
import dev.nightjar.model.TransformerConfig;
import dev.nightjar.model.Transformers;
import dev.nightjar.model.WarmupCosineSchedule;
import dev.nightjar.text.WindowNextTokens;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Transformer language model as a DL4J network: causal, saved and loaded whole, and it learns. */
class TransformerLmTest {
    private static final int VOCAB = 10;

    static TransformerConfig config(int layers, int width, double lr, int warmup) {
        return config(layers, width, lr, warmup, 0);
    }

    static TransformerConfig config(int layers, int width, double lr, int warmup, double dropout) {
        return new TransformerConfig(new Optimizer("adam", lr, 0.9, "none", 0.5, 2), 0, layers, 2, width, 4, 0, warmup, 0, 0.1, 1.0, dropout, 42);
    }

    private static INDArray ids(int[][] rows) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, rows.length, 1, rows[0].length);
        for (int b = 0; b < rows.length; b++) {
            for (int t = 0; t < rows[b].length; t++) {
                x.putScalar(new long[] {b, 0, t}, rows[b][t]);
            }
        }
        return x;
    }

    @Test
    void changingLaterTokensLeavesEarlierOutputsUnchanged() {
        int steps = 7;
        MultiLayerNetwork net = Transformers.create(config(2, 16, 1e-3, 0), VOCAB, steps);
        // weights far larger than the 0.02 initialisation, so every path moves the outputs well above the tolerance
        Nd4j.getRandom().setSeed(5);
        net.params().assign(Nd4j.randn(DataType.FLOAT, net.params().shape()).muli(0.5));
        int[] a = {4, 5, 6, 7, 8, 9, 4};
        for (int t = 0; t < steps - 1; t++) {
            int[] b = a.clone();
            for (int s = t + 1; s < steps; s++) {
                b[s] = 4 + (a[s] - 4 + 1 + s % 5) % (VOCAB - 4); // another of the ids 4..9: shifted by 1..5 of 6
            }
            INDArray out = net.output(ids(new int[][] {a, b}), false);
            INDArray first = out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1));
            INDArray second = out.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1));
            assertTrue(first.equalsWithEps(second, 1e-6), "outputs at steps <= " + t + " depend only on tokens <= " + t);
            INDArray nextA = out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(t + 1));
            INDArray nextB = out.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.point(t + 1));
            assertFalse(nextA.equalsWithEps(nextB, 1e-6), "step " + (t + 1) + " does read its own token");
        }
    }

    @Test
    void savedAndLoadedNetworkGivesTheSameOutputsAndKeepsTraining() throws Exception {
        int steps = 6;
        Network net = Network.of(Transformers.create(config(2, 16, 1e-3, 5), VOCAB, steps));
        DataSet batch = repeating(new Random(1), 4, steps);
        net.fit(batch);
        net.fit(batch);
        Network loaded = Network.fromBytes(net.toBytes(true), true);
        assertEquals(net.numParams(), loaded.numParams());
        assertArrayEquals(net.params().toFloatVector(), loaded.params().toFloatVector());
        assertArrayEquals(net.updaterState().toFloatVector(), loaded.updaterState().toFloatVector());
        assertTrue(net.output(batch.getFeatures(), null).equalsWithEps(loaded.output(batch.getFeatures(), null), 1e-6));
        net.fit(batch);
        loaded.fit(batch);
        assertArrayEquals(net.params().toFloatVector(), loaded.params().toFloatVector(), 1e-6f,
                "the loaded network, updater and schedule included, takes the same next step");
        assertEquals(6, Transformers.context(loaded.multiLayer()));
    }

    @Test
    void lossFallsOnARepeatingSequence() {
        int steps = 12;
        MultiLayerNetwork net = Transformers.create(config(1, 16, 0.01, 20), VOCAB, steps);
        Random r = new Random(7);
        double first = 0;
        double last = 0;
        for (int i = 0; i < 250; i++) {
            net.fit(repeating(r, 8, steps));
            double perToken = net.score() / steps;
            if (i < 5) {
                first += perToken / 5;
            }
            if (i >= 245) {
                last += perToken / 5;
            }
        }
        // ln 10 = 2.30 nats for a uniform guess; the pattern's next token is fixed once two tokens are seen
        assertTrue(first > 1.8, "starts near uniform: " + first);
        assertTrue(last < 0.6, "learns the pattern: " + first + " -> " + last + " nats per token");
        // and generates it, sliding its window past the context
        WindowNextTokens model = new WindowNextTokens(net, steps);
        int[] text = {4, 5, 4, 6};
        double[] p = model.start(text);
        int[] pattern = PATTERN;
        int pos = 4;
        for (int i = 0; i < 3 * steps; i++) {
            int best = argmax(p);
            assertEquals(pattern[pos % pattern.length], best, "greedy token " + i + " continues the pattern");
            p = model.next(best);
            pos++;
        }
    }

    @Test
    void dropoutActsInTrainingOnlyAndTheModelStillLearns() {
        int steps = 12;
        MultiLayerNetwork net = Transformers.create(config(1, 16, 0.01, 20, 0.2), VOCAB, steps);
        Random r = new Random(7);
        DataSet probe = repeating(r, 4, steps);
        INDArray inference = net.output(probe.getFeatures(), false);
        assertTrue(inference.equalsWithEps(net.output(probe.getFeatures(), false), 0), "inference draws no masks");
        java.util.List<INDArray> training = net.feedForward(probe.getFeatures(), true);
        assertFalse(inference.equalsWithEps(training.get(training.size() - 1), 1e-6), "training drops units");
        double first = 0;
        double last = 0;
        for (int i = 0; i < 200; i++) {
            net.fit(repeating(r, 8, steps));
            double perToken = net.score() / steps;
            first += i < 5 ? perToken / 5 : 0;
            last += i >= 195 ? perToken / 5 : 0;
        }
        // the backward pass must use the forward pass's masks, or the gradient is another model's
        assertTrue(last < 0.5 * first, "learns the pattern with dropout 0.2: " + first + " -> " + last + " nats per token");
    }

    @Test
    void warmUpThenCosine() {
        WarmupCosineSchedule s = new WarmupCosineSchedule(1.0, 0.1, 10, 100);
        assertEquals(0.1, s.valueAt(0, 0), 1e-12);
        assertEquals(1.0, s.valueAt(9, 0), 1e-12);
        assertEquals(1.0, s.valueAt(10, 0), 1e-12);
        assertEquals(0.55, s.valueAt(60, 0), 1e-12);
        assertEquals(0.1, s.valueAt(110, 0), 1e-12);
        assertEquals(0.1, s.valueAt(5000, 0), 1e-12);
        assertEquals(1.0, new WarmupCosineSchedule(1.0, 0.1, 0, 0).valueAt(5000, 3), 1e-12);
    }

    static final int[] PATTERN = {4, 5, 4, 6, 7, 5, 8, 9};

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Batches of the pattern repeated, from random offsets; labels are the next tokens. */
    static DataSet repeating(Random r, int batch, int steps) {
        int[][] in = new int[batch][steps];
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, 1, steps);
        for (int b = 0; b < batch; b++) {
            int offset = r.nextInt(PATTERN.length);
            for (int t = 0; t < steps; t++) {
                in[b][t] = PATTERN[(offset + t) % PATTERN.length];
                labels.putScalar(new long[] {b, 0, t}, PATTERN[(offset + t + 1) % PATTERN.length]);
            }
        }
        return new DataSet(ids(in), labels);
    }
}
