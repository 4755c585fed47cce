package dev.nightjar.text;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * A causal Transformer stepped by re-reading its window: the last {@code context} tokens (all of them while fewer),
 * and the prediction read at the last one. Once the text is longer than the context the window slides, as GPT's
 * sampling does.
 */
public final class WindowNextTokens implements NextTokens {
    private final MultiLayerNetwork net;
    private final int context;
    private int[] text = new int[0];

    public WindowNextTokens(MultiLayerNetwork net, int context) {
        this.net = net;
        this.context = context;
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
        INDArray out = net.output(TextSampler.ids(window, window.length), false);
        return out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(window.length - 1)).toDoubleVector();
    }
}
