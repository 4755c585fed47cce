package dev.nightjar.model.transformer;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

/**
 * A reproducer for the next attempt at the Transformer: DL4J 1.0.0-M2's {@code SameDiffLayer} hands the layer below
 * a wrong input gradient. Under y = x·W (mode 0), the residual y = x·W + x (1), tanh(a) + a (3) and a·a (4), the
 * dense layer beneath gets exactly twice its finite-difference gradient, and 3.3 times under a + 0.5·a (2); the
 * same net with a DenseLayer in its place (mode -1) matches. Found 2026-12-03; enable it as the check of a workaround.
 */
@org.junit.jupiter.api.Disabled("DL4J 1.0.0-M2 SameDiffLayer input gradients are wrong (see the class comment); a reproducer, not a check yet")
class SameDiffLayerInputGradientTest {
    public static class FanOut extends SameDiffLayer {
        private static final long serialVersionUID = 1L;
        public int n;
        public int mode;

        public FanOut() {
        }

        FanOut(int n, int mode) {
            this.n = n;
            this.mode = mode;
        }

        @Override
        public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> p, SDVariable mask) {
            SDVariable a = x.mmul(p.get("W"));
            switch (mode) {
                case 0: return a;                          // no fan-out
                case 1: return a.add(x);                   // the layer input used twice (residual)
                case 2: return a.add(a.mul(0.5));          // an inner variable used twice
                case 3: return sd.math.tanh(a).add(a);     // inner variable, two ops
                default: return a.mul(a);                  // same variable twice in one op
            }
        }

        @Override
        public void defineParameters(SDLayerParams params) {
            params.clear();
            params.addWeightParam("W", n, n);
        }

        @Override
        public void initializeParameters(Map<String, INDArray> params) {
            params.get("W").assign(Nd4j.randn(DataType.DOUBLE, n, n).muli(0.5));
        }

        @Override
        public InputType getOutputType(int layerIndex, InputType inputType) {
            return InputType.feedForward(n);
        }

        @Override
        public void setNIn(InputType inputType, boolean override) {
        }
    }

    @Test
    void theLayerBelowASameDiffLayerGetsItsFiniteDifferenceGradient() {
        StringBuilder all = new StringBuilder();
        DataType[] saved = {Nd4j.dataType(), Nd4j.defaultFloatingPointType()};
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (int mode = -1; mode <= 4; mode++) {
                MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).updater(new NoOp()).miniBatch(false).list()
                        .layer(new DenseLayer.Builder().nIn(4).nOut(4).activation(Activation.IDENTITY).build())
                        .layer(mode < 0 ? new DenseLayer.Builder().nIn(4).nOut(4).activation(Activation.IDENTITY).hasBias(false).build() : new FanOut(4, mode))
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(3).activation(Activation.IDENTITY).build())
                        .setInputType(InputType.feedForward(4)).build();
                MultiLayerNetwork net = new MultiLayerNetwork(conf);
                net.init();
                Nd4j.getRandom().setSeed(7);
                net.params().assign(Nd4j.randn(DataType.DOUBLE, net.params().shape()).muli(0.5));
                DataSet ds = new DataSet(Nd4j.randn(DataType.DOUBLE, 2, 4), Nd4j.randn(DataType.DOUBLE, 2, 3));
                String f = TransformerGradientTest.finiteDifferences(net, ds, 6);
                if (!f.isEmpty()) {
                    all.append("mode ").append(mode).append(":\n").append(f);
                }
            }
        } finally {
            Nd4j.setDefaultDataTypes(saved[0], saved[1]);
        }
        org.junit.jupiter.api.Assertions.assertEquals("", all.toString());
    }
}
