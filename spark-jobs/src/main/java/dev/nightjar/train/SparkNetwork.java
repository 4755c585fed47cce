package dev.nightjar.train;

import dev.nightjar.model.Network;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;

/**
 * DL4J's Spark wrapper for either kind of network: {@link SparkDl4jMultiLayer} or
 * {@link SparkComputationGraph}, which take the same training master and the same
 * {@code fitPaths}. The one place that tells the two apart for Spark.
 */
final class SparkNetwork {
    private final SparkDl4jMultiLayer layers;
    private final SparkComputationGraph graph;

    private SparkNetwork(SparkDl4jMultiLayer layers, SparkComputationGraph graph) {
        this.layers = layers;
        this.graph = graph;
    }

    static SparkNetwork of(JavaSparkContext sc, Network net, TrainingMaster<?, ?> master) {
        return net.isGraph() ? new SparkNetwork(null, new SparkComputationGraph(sc, net.graph(), master))
                : new SparkNetwork(new SparkDl4jMultiLayer(sc, net.multiLayer(), master), null);
    }

    /** One averaging round over the records the paths name. */
    void fitPaths(JavaRDD<String> paths, DataSetLoader loader) {
        if (graph != null) {
            graph.fitPaths(paths, loader);
        } else {
            layers.fitPaths(paths, loader);
        }
    }

    /** The driver's copy of the network, updated by each round. */
    Network network() {
        return graph != null ? Network.of(graph.getNetwork()) : Network.of(layers.getNetwork());
    }
}
