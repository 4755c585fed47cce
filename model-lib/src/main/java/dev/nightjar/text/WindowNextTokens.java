package dev.nightjar.text;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * A causal Transformer stepped by re-reading its window: the last {@code context} tokens (all of them while fewer),
 * padded at the end to the context, and the prediction read at the last real token. Once the text is longer than the
 * context the window slides, as GPT's sampling does. The padding after the last real token cannot change its
 * prediction (the attention is causal), and a fixed window length lets the network's SameDiff layers keep one graph.
 */
public final class WindowNextTokens implements NextTokens {
    private final MultiLayerNetwork net;
    private final int context;
    private final int vocab;
    private int[] text = new int[0];

    public WindowNextTokens(MultiLayerNetwork net, int context, int vocab) {
        this.net = net;
        this.context = context;
        this.vocab = vocab;
    }

    @Override
    public double[] start(int[] tokens) {
        text = tokens.clone();
        return predict();
    }

    @Override
    public double[] next(int token) {
        text = Arrays.copyOf(text, text.length + 1);
        text[text.length - 1] = token;
        return predict();
    }

    private double[] predict() {
        int from = Math.max(0, text.length - context);
        int[] window = Arrays.copyOfRange(text, from, text.length);
        INDArray out = net.output(dev.nightjar.model.Transformers.oneHot(TextSampler.ids(window, context), vocab), false);
        return out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(window.length - 1)).toDoubleVector();
    }
}
