package dev.nightjar.model;

import dev.nightjar.UserException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * One handle on either kind of DL4J network, a {@link MultiLayerNetwork} or a
 * {@link ComputationGraph}: what the trainer, checkpoints, bundles, evaluation and scoring need,
 * so none of them has to know which kind a model family builds. A graph here has one input and
 * one output.
 */
public final class Network {
    private final MultiLayerNetwork layers;
    private final ComputationGraph graph;

    private Network(MultiLayerNetwork layers, ComputationGraph graph) {
        this.layers = layers;
        this.graph = graph;
    }

    public static Network of(MultiLayerNetwork net) {
        return new Network(java.util.Objects.requireNonNull(net), null);
    }

    public static Network of(ComputationGraph net) {
        return new Network(null, java.util.Objects.requireNonNull(net));
    }

    /** Wraps what DL4J returns as a {@link Model}. */
    public static Network of(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return of(m);
        }
        if (model instanceof ComputationGraph g) {
            return of(g);
        }
        throw new IllegalArgumentException("not a MultiLayerNetwork or ComputationGraph: " + model.getClass().getName());
    }

    public boolean isGraph() {
        return graph != null;
    }

    /** The underlying DL4J model (for listeners, serialization and the Spark wrappers). */
    public Model model() {
        return isGraph() ? graph : layers;
    }

    /** The network as a {@link MultiLayerNetwork}; a clear error for a graph. */
    public MultiLayerNetwork multiLayer() {
        if (layers == null) {
            throw new IllegalStateException("the network is a ComputationGraph, not a MultiLayerNetwork");
        }
        return layers;
    }

    /** The network as a {@link ComputationGraph}; a clear error for a layer stack. */
    public ComputationGraph graph() {
        if (graph == null) {
            throw new IllegalStateException("the network is a MultiLayerNetwork, not a ComputationGraph");
        }
        return graph;
    }

    public INDArray params() {
        return model().params();
    }

    public void setParams(INDArray params) {
        model().setParams(params);
    }

    public long numParams() {
        return model().numParams();
    }

    public Map<String, INDArray> paramTable() {
        return model().paramTable();
    }

    /**
     * Copies of the parameters that do not train (their updater is a no-op: DL4J's frozen layers, a Transformer
     * trunk's frozen blocks), by layer and parameter name; {@link #restoreFrozen} puts them back.
     */
    public Map<String, INDArray> frozenParams() {
        Map<String, INDArray> frozen = new java.util.LinkedHashMap<>();
        org.deeplearning4j.nn.api.Layer[] all = isGraph() ? graph.getLayers() : layers.getLayers();
        for (int i = 0; i < all.length; i++) {
            org.deeplearning4j.nn.api.TrainingConfig conf = all[i].getConfig();
            for (Map.Entry<String, INDArray> p : all[i].paramTable().entrySet()) {
                if (conf.getUpdaterByParam(p.getKey()) instanceof org.nd4j.linalg.learning.config.NoOp) {
                    frozen.put(i + "_" + p.getKey(), p.getValue().dup());
                }
            }
        }
        return frozen;
    }

    /**
     * Puts back what {@link #frozenParams} copied. Parameter averaging divides a sum by the number of workers, and in
     * floating point (a + a + a) / 3 is not always a: without this, frozen weights would move by a rounding step per
     * averaging round with 3 or more workers.
     */
    public void restoreFrozen(Map<String, INDArray> frozen) {
        org.deeplearning4j.nn.api.Layer[] all = isGraph() ? graph.getLayers() : layers.getLayers();
        frozen.forEach((key, value) -> {
            int split = key.indexOf('_');
            all[Integer.parseInt(key.substring(0, split))].paramTable().get(key.substring(split + 1)).assign(value);
        });
    }

    /** The updater's state (Adam's moments), a view; null when the updater keeps none. */
    public INDArray updaterState() {
        return isGraph() ? graph.getUpdater().getStateViewArray() : layers.getUpdater().getStateViewArray();
    }

    /** Inference on one minibatch: the output activations, with the features' mask respected (null = no mask). */
    public INDArray output(INDArray features, INDArray featuresMask) {
        if (isGraph()) {
            return graph.output(false, new INDArray[] {features}, featuresMask == null ? null : new INDArray[] {featuresMask})[0];
        }
        return layers.output(features, false, featuresMask, null);
    }

    /** One training step on a minibatch. */
    public void fit(DataSet ds) {
        if (isGraph()) {
            graph.fit(ds);
        } else {
            layers.fit(ds);
        }
    }

    /** The score (loss) of the last training step, as DL4J reports it. */
    public double score() {
        return model().score();
    }

    /** The epoch counter that epoch-based learning-rate schedules read. */
    public int epochCount() {
        return isGraph() ? graph.getConfiguration().getEpochCount() : layers.getLayerWiseConfigurations().getEpochCount();
    }

    public void setEpochCount(int epoch) {
        if (isGraph()) {
            graph.getConfiguration().setEpochCount(epoch);
        } else {
            layers.getLayerWiseConfigurations().setEpochCount(epoch);
        }
    }

    /** The output layer's learning rate (lower layers may be frozen), or NaN. */
    public double learningRate() {
        Double lr = isGraph() ? graph.getLearningRate(graph.getConfiguration().getNetworkOutputs().get(0))
                : layers.getLearningRate(layers.getnLayers() - 1);
        return lr == null ? Double.NaN : lr;
    }

    /** A deep copy: configuration, weights and updater state. */
    public Network copy() {
        return isGraph() ? of(graph.clone()) : of(layers.clone());
    }

    /** DL4J's model zip, with or without the updater state. */
    public byte[] toBytes(boolean withUpdater) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(model(), out, withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * {@link #toBytes}, its entries stored rather than deflated: for a zip read many times, such as a broadcast each
     * executor thread reads (inflating the parameters was most of reading it).
     */
    public byte[] toStoredBytes(boolean withUpdater) {
        return ModelZip.read(toBytes(withUpdater), "the network").toBytes();
    }

    /** Reads a model zip written by {@link #toBytes} or {@code ModelSerializer}, of either kind (see {@link #fromBytes(byte[], boolean, String)}). */
    public static Network fromBytes(byte[] zip, boolean withUpdater) throws IOException {
        return fromBytes(zip, withUpdater, "the model zip");
    }

    /**
     * Reads a model zip written by {@link #toBytes} or {@code ModelSerializer}, of either kind. The zip is
     * checked first ({@link ModelZip}): one with any entry DL4J would deserialize with Java serialization
     * ({@code preprocessor.bin}) or any other unexpected entry is refused with a {@link UserException}
     * naming {@code source}, before DL4J sees it.
     *
     * @param source how errors name the zip (its path)
     */
    public static Network fromBytes(byte[] zip, boolean withUpdater, String source) throws IOException {
        ModelZip checked = ModelZip.read(zip, source);
        byte[] clean = checked.toBytes();
        if (checked.isGraph(source)) {
            return of(ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(clean), withUpdater));
        }
        return of(ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(clean), withUpdater));
    }

    /** Reads a model zip from a stream (read whole: models are small next to memory). */
    public static Network read(InputStream in, boolean withUpdater) throws IOException {
        return fromBytes(in.readAllBytes(), withUpdater);
    }

    @Override
    public String toString() {
        return (isGraph() ? "ComputationGraph" : "MultiLayerNetwork") + " of " + numParams() + " parameters";
    }
}
