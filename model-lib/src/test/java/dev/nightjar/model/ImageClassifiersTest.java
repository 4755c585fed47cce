package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ImageClassifiersTest {

    private static ImageModelConfig config(String... sets) {
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets)));
        return ImageModelConfig.from(c);
    }

    @Test
    void bothArchitecturesMapImagesToClassProbabilities() {
        for (String arch : List.of("lenet", "convnet")) {
            MultiLayerNetwork net = ImageClassifiers.create(config("model.architecture=" + arch, "model.dropout=0.2"),
                    new ImageShape(3, 32, 24), 5, 3);
            INDArray out = net.output(Nd4j.rand(4, 3, 32, 24));
            assertArrayEquals(new long[] {4, 5}, out.shape(), arch);
            assertEquals(4.0, out.sumNumber().doubleValue(), 1e-4, arch + ": softmax rows sum to 1");
        }
    }

    @Test
    void sameSeedGivesSameWeightsAndAnotherSeedDoesNot() {
        ImageShape shape = new ImageShape(1, 28, 28);
        INDArray a = ImageClassifiers.create(config(), shape, 10, 1).params();
        INDArray b = ImageClassifiers.create(config(), shape, 10, 1).params();
        INDArray c = ImageClassifiers.create(config("seed=7"), shape, 10, 1).params();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void schedulesFollowTheConfig() {
        ISchedule step = config("model.schedule=step", "model.learning-rate=0.1",
                "model.schedule-decay=0.5", "model.schedule-step=2").optimizer().schedule(6);
        assertEquals(0.1, step.valueAt(0, 0), 1e-12);
        assertEquals(0.1, step.valueAt(0, 1), 1e-12);
        assertEquals(0.05, step.valueAt(0, 2), 1e-12);
        assertEquals(0.025, step.valueAt(0, 5), 1e-12);

        ISchedule cosine = config("model.schedule=cosine", "model.learning-rate=0.1").optimizer().schedule(4);
        assertEquals(0.1, cosine.valueAt(0, 0), 1e-12);
        assertEquals(0.05, cosine.valueAt(0, 2), 1e-12);

        ISchedule none = config("model.learning-rate=0.3").optimizer().schedule(4);
        assertEquals(0.3, none.valueAt(100, 3), 1e-12);
    }
}
