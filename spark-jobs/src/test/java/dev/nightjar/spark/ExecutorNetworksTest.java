package dev.nightjar.spark;

import dev.nightjar.config.Configs;
import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.Network;
import dev.nightjar.testing.SharedSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job of many partitions reads the broadcast model once per task thread, not once per partition; no
 * two threads ever share one network (DL4J's are not thread-safe); a new broadcast gets its own network;
 * and the cached network answers as the model it was read from.
 */
class ExecutorNetworksTest {
    private static final INDArray INPUT = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 1, 12, 12);

    /** One line per partition: the identity of the network it used, the thread it ran on, its output. */
    static final class UseNetwork implements FlatMapFunction<Iterator<Integer>, String> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> model;

        UseNetwork(Broadcast<byte[]> model) {
            this.model = model;
        }

        @Override
        public Iterator<String> call(Iterator<Integer> partition) {
            Network net = ExecutorNetworks.of(model);
            float[] out = net.output(INPUT, null).dup('c').data().asFloat();
            return List.of(System.identityHashCode(net) + " " + Thread.currentThread().getId() + " " + java.util.Arrays.toString(out))
                    .iterator();
        }
    }

    private static Network network(long seed) {
        ImageModelConfig cfg = ImageModelConfig.from(Configs.layered(Configs.defaults(),
                Configs.parseOverrides(List.of("model.architecture=lenet", "model.dense-units=16", "seed=" + seed))));
        return Network.of(ImageClassifiers.create(cfg, new ImageShape(1, 12, 12), 3, 1));
    }

    private static List<String[]> run(JavaSparkContext sc, Broadcast<byte[]> model) {
        return sc.parallelize(IntStream.range(0, 24).boxed().toList(), 24).mapPartitions(new UseNetwork(model)).collect()
                .stream().map(line -> line.split(" ", 3)).toList();
    }

    @Test
    void onePerThreadNeverShared() {
        JavaSparkContext sc = SharedSpark.get();
        Network first = network(1);
        Network second = network(2);
        Broadcast<byte[]> a = sc.broadcast(first.toBytes(false));
        Broadcast<byte[]> b = sc.broadcast(second.toBytes(false));

        List<String[]> lines = run(sc, a);
        Set<String> nets = lines.stream().map(l -> l[0]).collect(Collectors.toSet());
        int threads = (int) lines.stream().map(l -> l[1]).distinct().count();
        assertTrue(nets.size() <= threads && nets.size() < 24, nets.size() + " networks for 24 partitions on " + threads + " threads");
        Map<String, Set<String>> threadsOfNet = lines.stream().collect(Collectors.groupingBy(l -> l[0], Collectors.mapping(l -> l[1], Collectors.toSet())));
        threadsOfNet.forEach((net, ts) -> assertEquals(1, ts.size(), "network " + net + " used by threads " + ts));

        float[] expected = first.output(INPUT, null).dup('c').data().asFloat();
        for (String[] l : lines) {
            assertEquals(java.util.Arrays.toString(expected), l[2], "a cached network answers as the broadcast model");
        }

        List<String[]> other = run(sc, b);
        Set<String> otherNets = other.stream().map(l -> l[0]).collect(Collectors.toSet());
        otherNets.retainAll(nets);
        assertTrue(otherNets.isEmpty(), "a new broadcast is read again");
        assertNotEquals(other.get(0)[2], lines.get(0)[2], "the second model is another model");
        assertArrayEquals(second.output(INPUT, null).dup('c').data().asFloat(),
                parse(other.get(0)[2]), 0f);
    }

    private static float[] parse(String array) {
        String[] parts = array.substring(1, array.length() - 1).split(", ");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }
}
