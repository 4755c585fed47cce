package dev.nightjar.model;

import dev.nightjar.model.transformer.TransformerTrunk;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * Floating-point operations of a network, counted from its layers' shapes: a multiply-add is 2 FLOPs, and only the
 * weight products are counted, the work that dominates every family here.
 * <ul>
 *   <li>a convolution: 2 · (its weights: k·k·C<sub>in</sub>·C<sub>out</sub>) · H<sub>out</sub>·W<sub>out</sub>
 *       (1-D: · T<sub>out</sub>);</li>
 *   <li>a dense or output layer: 2 · in · out, at every time step when its input is a sequence;</li>
 *   <li>an LSTM: 2 · 4 · (in + h) · h per time step (its input and recurrent weights; the step count is the input's,
 *       also under a last-time-step wrapper);</li>
 *   <li>a Transformer trunk: its blocks' weight products at every position and attention's two products per position
 *       and block, 2 · 2 · T · width;</li>
 *   <li>embeddings (a table lookup), pooling, normalisation, activations, dropout and merges: 0.</li>
 * </ul>
 * Training is counted as 3 × the forward pass (the backward pass computes two products per forward one: the
 * gradients of the inputs and of the weights). The shapes come from one forward pass of one example of zeros, so
 * they are DL4J's own (padding, strides, sequence lengths).
 */
public final class Flops {
    private Flops() {
    }

    /**
     * Forward FLOPs of one example.
     *
     * @param exampleShape the features' shape without the batch dimension: {@code [c, h, w]} for images,
     *                     {@code [1, T]} for token ids, {@code [vocab, T]} for one-hot sequences
     */
    public static long forward(Network net, long... exampleShape) {
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = 1;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        INDArray x = Nd4j.zeros(DataType.FLOAT, shape);
        return net.isGraph() ? graph(net.graph(), x) : layers(net.multiLayer(), x);
    }

    /** Training FLOPs of one example: forward and backward, 3 × {@link #forward}. */
    public static long training(Network net, long... exampleShape) {
        return 3 * forward(net, exampleShape);
    }

    private static long layers(MultiLayerNetwork net, INDArray x) {
        List<INDArray> acts = net.feedForward(x, false);
        long total = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            total += layer(net.getLayerWiseConfigurations().getConf(i).getLayer(), net.getLayer(i), acts.get(i), acts.get(i + 1));
        }
        return total;
    }

    private static long graph(ComputationGraph net, INDArray x) {
        Map<String, INDArray> acts = new java.util.HashMap<>(net.feedForward(new INDArray[] {x}, false));
        ComputationGraphConfiguration conf = net.getConfiguration();
        acts.putIfAbsent(conf.getNetworkInputs().get(0), x);
        long total = 0;
        for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
            if (v.getValue() instanceof LayerVertex lv) {
                INDArray in = acts.get(conf.getVertexInputs().get(v.getKey()).get(0));
                total += layer(lv.getLayerConf().getLayer(), net.getLayer(v.getKey()), in, acts.get(v.getKey()));
            }
        }
        return total;
    }

    /** One layer's forward FLOPs for one example, from its weights and its input and output activations. */
    private static long layer(org.deeplearning4j.nn.conf.layers.Layer conf, Layer runtime, INDArray in, INDArray out) {
        conf = unwrap(conf);
        if (conf instanceof EmbeddingSequenceLayer || conf instanceof EmbeddingLayer) {
            return 0;
        }
        if (conf instanceof TransformerTrunk t) {
            return transformer(t, runtime, in.size(2));
        }
        long weights = count(runtime, "W") + count(runtime, "RW");
        if (weights == 0) {
            return 0;
        }
        long positions = conf instanceof BaseRecurrentLayer ? in.size(2) : positions(out);
        return 2 * weights * positions;
    }

    /**
     * A Transformer trunk over {@code steps} positions: its blocks' weight products (query, key, value, output, both MLP
     * matrices) at every position, and attention's two products (scores Q·Kᵀ and the weighted sum of V), each
     * 2 · steps · width per position and block (the causal mask's upper half is computed and masked, so counted).
     */
    private static long transformer(TransformerTrunk t, Layer runtime, long steps) {
        long weights = 0;
        for (Map.Entry<String, INDArray> p : runtime.paramTable().entrySet()) {
            weights += BLOCK_WEIGHT.matcher(p.getKey()).matches() ? p.getValue().length() : 0;
        }
        return steps * (2 * weights + (long) t.layers() * 4 * steps * t.width());
    }

    private static final java.util.regex.Pattern BLOCK_WEIGHT = java.util.regex.Pattern.compile("blk[0-9]+W[qkvo12]");

    private static org.deeplearning4j.nn.conf.layers.Layer unwrap(org.deeplearning4j.nn.conf.layers.Layer conf) {
        while (true) {
            if (conf instanceof FrozenLayer f) {
                conf = f.getLayer();
            } else if (conf instanceof BaseWrapperLayer w) {
                conf = w.getUnderlying();
            } else {
                return conf;
            }
        }
    }

    /** Spatial or time positions of an activation {@code [1, channels, ...]}: 1 for {@code [1, n]}. */
    private static long positions(INDArray act) {
        long p = 1;
        for (int d = 2; d < act.rank(); d++) {
            p *= act.size(d);
        }
        return p;
    }

    private static long count(Layer runtime, String key) {
        INDArray p = runtime.paramTable().get(key);
        return p == null ? 0 : p.length();
    }
}
