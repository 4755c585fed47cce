package dev.nightjar.spark;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.model.FrozenPrefix;
import dev.nightjar.model.ImageAutoencoderConfig;
import dev.nightjar.model.ImageAutoencoders;
import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.LanguageModelConfig;
import dev.nightjar.model.LanguageModels;
import dev.nightjar.model.TextClassifierConfig;
import dev.nightjar.model.TextClassifiers;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every network configuration survives Spark's Kryo with Nightjar's settings, as it must when
 * DL4J broadcasts it to executors in other JVMs (on YARN; local mode never deserialises it). A
 * constant learning rate once failed here: an immutable map inside its schedule.
 */
class KryoRoundTripTest {
    static Config config(String... sets) {
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets)));
    }

    /** An image classifier fine-tuned with its trunk frozen (DL4J's FrozenLayer wrappers, around pooling layers too). */
    static MultiLayerConfiguration frozenTrunk(Config c) {
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = ImageClassifiers.create(ImageModelConfig.from(c), new ImageShape(1, 12, 12), 3, 2);
        return FrozenPrefix.withFrozen(net.getLayerWiseConfigurations(), net, 4).getLayerWiseConfigurations();
    }

    @Test
    void everyArchitecturesConfigurationRoundTrips() {
        SerializerInstance kryo = new KryoSerializer(SparkSessions.conf("local[1]", "kryo-test", Map.of())).newInstance();
        for (String schedule : List.of("none", "step", "cosine")) {
            Config c = config("model.schedule=" + schedule);
            List<MultiLayerConfiguration> confs = List.of(
                    ImageClassifiers.create(ImageModelConfig.from(c), new ImageShape(1, 28, 28), 10, 2).getLayerWiseConfigurations(),
                    LanguageModels.configuration(LanguageModelConfig.from(c), 40, 20, 2),
                    TextClassifiers.freshEncoder(TextClassifierConfig.from(c), 40, 2).getLayerWiseConfigurations(),
                    ImageAutoencoders.configuration(ImageAutoencoderConfig.from(c), new ImageShape(1, 10, 10), 2),
                    ImageAutoencoders.configuration(ImageAutoencoderConfig.from(config("model.autoencoder.noise=masking")),
                            new ImageShape(3, 12, 12), 2),
                    frozenTrunk(c));
            for (MultiLayerConfiguration conf : confs) {
                ByteBuffer bytes = kryo.serialize(conf, ClassTag$.MODULE$.apply(MultiLayerConfiguration.class));
                MultiLayerConfiguration back = kryo.deserialize(bytes, ClassTag$.MODULE$.apply(MultiLayerConfiguration.class));
                assertEquals(conf.toJson(), back.toJson(), "schedule " + schedule);
            }
        }
    }

    /**
     * What an averaging round ships: parameter and updater arrays of every type and layout cross Spark's Kryo
     * bit for bit, with their shape, order and type (views as dense copies).
     */
    @Test
    void arraysOfEveryTypeAndLayoutRoundTripBitForBit() {
        SerializerInstance kryo = new KryoSerializer(SparkSessions.conf("local[1]", "kryo-test", Map.of())).newInstance();
        Nd4j.getRandom().setSeed(7);
        INDArray matrix = Nd4j.rand(DataType.FLOAT, 200, 300);
        List<INDArray> arrays = List.of(
                Nd4j.rand(DataType.FLOAT, 1, 4_700_001), // a flattened parameter vector, several blocks and a remainder
                Nd4j.rand(DataType.DOUBLE, new int[] {3, 4, 5}).dup('f'),
                Nd4j.createFromArray(new int[] {1, -2, 3}),
                Nd4j.createFromArray(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}),
                Nd4j.rand(DataType.FLOAT16, 7, 3),
                matrix.getColumn(17), // a strided view
                matrix.get(NDArrayIndex.interval(10, 20), NDArrayIndex.interval(5, 9)),
                Nd4j.scalar(2.5f),
                Nd4j.create(DataType.FLOAT, 0, 3),
                Nd4j.createFromArray(true, false, true));
        for (INDArray a : arrays) {
            INDArray back = kryo.deserialize(kryo.serialize(a, ClassTag$.MODULE$.apply(INDArray.class)), ClassTag$.MODULE$.apply(INDArray.class));
            String what = a.dataType() + " " + java.util.Arrays.toString(a.shape()) + (a.isView() ? " view" : "");
            assertEquals(a.dataType(), back.dataType(), what);
            assertArrayEquals(a.shape(), back.shape(), what);
            assertEquals(a, back, what);
            if (!a.isView() && !a.isEmpty()) {
                assertEquals(a.ordering(), back.ordering(), what);
                assertArrayEquals(a.data().asBytes(), back.data().asBytes(), what + ": bit for bit");
            }
        }
    }
}

