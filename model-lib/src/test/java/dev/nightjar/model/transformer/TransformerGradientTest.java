package dev.nightjar.model.transformer;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Transformer trunk (token and position embeddings, two blocks, final LayerNorm) under a softmax
 * output: entries of every parameter (6 each, by a fixed seed) have the gradient of the central finite difference of
 * the loss, in double precision (width 8, 2 heads, 5 steps, batch 2; also shorter than the context, and longer: read in
 * windows).
 */
class TransformerGradientTest {
    private static DataType[] saved;

    @BeforeAll
    static void doublePrecision() {
        saved = new DataType[] {Nd4j.dataType(), Nd4j.defaultFloatingPointType()};
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(saved[0], saved[1]);
    }

    @Test
    void blockGradientsMatchFiniteDifferences() {
        assertEquals("", check(5, 5), "gradients of a sequence as long as the context");
    }

    @Test
    void gradientsMatchForASequenceShorterThanTheContext() {
        assertEquals("", check(5, 7), "gradients of a sequence shorter than the context (a slice of the positions)");
    }

    @Test
    void gradientsMatchForASequenceReadInWindowsOfTheContext() {
        assertEquals("", check(7, 3), "gradients of a sequence longer than the context (windows of 3, 3 and 1 steps)");
    }

    private static String check(int steps, int context) {
        int width = 8;
        int vocab = 6;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(DataType.DOUBLE).updater(new NoOp()).miniBatch(false) // score and gradient on one scale (else the updater divides by the minibatch)
                .list()
                .layer(new TransformerTrunk(vocab, width, 2, 16, 2, context, 0).forClassifier(TransformerTrunk.ALL)) // windows when longer
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(vocab)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(1, steps))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // larger weights than the 0.02 initialisation, so attention is far from uniform and every path matters
        Nd4j.getRandom().setSeed(7);
        net.params().assign(Nd4j.randn(DataType.DOUBLE, net.params().shape()).muli(0.5));
        java.util.Random r = new java.util.Random(3);
        INDArray ids = Nd4j.zeros(DataType.DOUBLE, 2, 1, steps);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, vocab, steps);
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < steps; t++) {
                ids.putScalar(new long[] {b, 0, t}, r.nextInt(vocab));
                labels.putScalar(b, r.nextInt(vocab), t, 1.0);
            }
        }
        return finiteDifferences(net, new DataSet(ids, labels), 6);
    }

    /**
     * Compares up to {@code perParam} entries of every parameter (picked by a fixed seed) with the central difference
     * of the loss; returns the failures, one line each ("" when none).
     */
    static String finiteDifferences(MultiLayerNetwork net, DataSet ds, int perParam) {
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        // the flattened vectors, indexed alike: a parameter's own view is indexed in its ordering, its gradient's may differ
        INDArray grad = net.gradient().gradient().dup();
        INDArray params = net.params();
        StringBuilder failures = new StringBuilder();
        java.util.Random pick = new java.util.Random(11);
        double eps = 1e-6;
        long offset = 0;
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            long length = e.getValue().length();
            for (int n = 0; n < Math.min(perParam, length); n++) {
                long i = offset + (perParam >= length ? n : pick.nextInt((int) length));
                double orig = params.getDouble(i);
                params.putScalar(i, orig + eps);
                double plus = net.score(ds, false);
                params.putScalar(i, orig - eps);
                double minus = net.score(ds, false);
                params.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = grad.getDouble(i);
                double diff = Math.abs(numeric - analytic);
                double rel = diff / Math.max(1e-12, Math.abs(numeric) + Math.abs(analytic));
                if (rel > 1e-4 && diff > 1e-8) {
                    failures.append(String.format("%s[%d]: analytic %.6g, numeric %.6g, rel %.2g%n", e.getKey(), i - offset, analytic, numeric, rel));
                }
            }
            offset += length;
        }
        return failures.toString();
    }
}
