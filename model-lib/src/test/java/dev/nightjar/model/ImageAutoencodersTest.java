package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageAutoencodersTest {
    private static Config config(String... sets) {
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets)));
    }

    private static final String[] SMALL_LENET = {"model.lenet-filters=[3,4]"};
    private static final String[] SMALL_CONVNET = {"model.architecture=convnet", "model.conv-filters=[3,4,5]", "model.convs-per-block=1",
            "model.dropout=0.1"};

    /** The reconstruction has the input's shape whatever the size, also where pooling rounds up and the decoder crops. */
    @Test
    void theReconstructionHasTheInputsShape() {
        for (String[] sets : List.of(SMALL_LENET, SMALL_CONVNET)) {
            for (ImageShape shape : List.of(new ImageShape(1, 12, 12), new ImageShape(1, 28, 28), new ImageShape(3, 10, 9),
                    new ImageShape(3, 13, 8))) {
                MultiLayerNetwork net = ImageAutoencoders.create(ImageAutoencoderConfig.from(config(sets)), shape, 1);
                INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, shape.channels(), shape.height(), shape.width());
                INDArray y = net.output(x);
                assertArrayEquals(x.shape(), y.shape(), sets[0] + " " + shape);
                assertTrue(y.minNumber().doubleValue() >= 0 && y.maxNumber().doubleValue() <= 1, "sigmoid pixels in [0, 1]");
            }
        }
    }

    /** The encoder is the classifier's trunk layer for layer: the same layer types with parameters of the same shapes. */
    @Test
    void theEncoderIsTheClassifiersTrunk() {
        for (String[] sets : List.of(SMALL_LENET, SMALL_CONVNET)) {
            ImageModelConfig trunk = ImageModelConfig.from(config(sets));
            ImageShape shape = new ImageShape(1, 12, 12);
            MultiLayerNetwork ae = ImageAutoencoders.create(ImageAutoencoderConfig.from(config(sets)), shape, 1);
            MultiLayerNetwork clf = ImageClassifiers.create(trunk, shape, 3, 1);
            int n = ImageClassifiers.trunk(trunk).size();
            assertEquals(sets == SMALL_LENET ? 4 : 3 * 4, n, "conv, (bn,) pool, (dropout) per block");
            for (int i = 0; i < n; i++) {
                assertEquals(clf.getLayerWiseConfigurations().getConf(i).getLayer().getClass(),
                        ae.getLayerWiseConfigurations().getConf(i).getLayer().getClass(), "layer " + i);
                for (String p : clf.getLayer(i).paramTable().keySet()) {
                    assertArrayEquals(clf.getLayer(i).getParam(p).shape(), ae.getLayer(i).getParam(p).shape(), "layer " + i + " " + p);
                }
            }
            assertTrue(ae.getLayerWiseConfigurations().getConf(n).getLayer() instanceof org.deeplearning4j.nn.conf.layers.Upsampling2D,
                    "the decoder starts above the trunk");
        }
    }

    /**
     * Every layer with weights gets a gradient (the decoder is wired to the loss, the encoder through it), the score is
     * the mean squared error per pixel of the clean target, and a few steps on one batch lower it.
     */
    @Test
    void everyLayerLearnsAndTheLossIsTheMeanSquaredErrorPerPixel() {
        MultiLayerNetwork net = ImageAutoencoders.create(ImageAutoencoderConfig.from(config("model.lenet-filters=[3,4]",
                "model.autoencoder.noise=none", "model.l2=0", "model.learning-rate=0.01")), new ImageShape(3, 12, 12), 1);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 3, 12, 12);
        DataSet ds = new DataSet(x, x.dup());
        net.setInput(x);
        net.setLabels(x.dup());
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        for (int i = 0; i < net.getnLayers(); i++) {
            for (String p : net.getLayer(i).paramTable().keySet()) {
                assertNotEquals(0.0, g.getGradientFor(i + "_" + p).norm2Number().doubleValue(), "layer " + i + " " + p + " has a gradient");
            }
        }
        double mse = net.output(x).squaredDistance(x) / x.length();
        // what the family's stepsPerScore relies on: DL4J's score sums over the 12x12 positions, averages over channels
        assertEquals(mse, net.score() / (12 * 12), 1e-6 * mse);
        double first = net.score();
        for (int i = 0; i < 30; i++) {
            net.fit(ds);
        }
        assertTrue(net.score(ds) < first, "loss fell: " + first + " -> " + net.score(ds));
    }

    /** Noise is applied in training only: inference is deterministic, and the noise does not change the target. */
    @Test
    void noiseIsATrainingOnlyInputCorruption() {
        for (String noise : List.of("gaussian", "masking")) {
            MultiLayerNetwork net = ImageAutoencoders.create(ImageAutoencoderConfig.from(config("model.lenet-filters=[3,4]",
                    "model.autoencoder.noise=" + noise, "model.autoencoder.noise-level=0.5")), new ImageShape(1, 12, 12), 1);
            INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 12, 12);
            assertEquals(net.output(x), net.output(x), noise + ": inference is deterministic");
            INDArray trained = net.output(x, true);
            assertNotEquals(net.output(x, false), trained, noise + ": training sees a corrupted input");
        }
    }
}
