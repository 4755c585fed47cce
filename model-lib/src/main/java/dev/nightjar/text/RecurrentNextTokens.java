package dev.nightjar.text;

import dev.nightjar.model.LanguageModels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A recurrent language model stepped with its state carried along ({@code rnnTimeStep}): each token is read once. */
public final class RecurrentNextTokens implements NextTokens {
    private final MultiLayerNetwork net;
    private final int vocab;
    private final boolean oneHot;

    public RecurrentNextTokens(MultiLayerNetwork net, int vocab) {
        this.net = net;
        this.vocab = vocab;
        this.oneHot = LanguageModels.oneHotInput(net);
    }

    @Override
    public double[] start(int[] context) {
        net.rnnClearPreviousState();
        return last(net.rnnTimeStep(input(context)));
    }

    @Override
    public double[] next(int token) {
        return last(net.rnnTimeStep(input(new int[] {token})));
    }

    private static double[] last(INDArray out) {
        return out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(out.size(2) - 1)).toDoubleVector();
    }

    private INDArray input(int[] ids) {
        if (oneHot) {
            INDArray x = Nd4j.zeros(1, vocab, ids.length);
            for (int t = 0; t < ids.length; t++) {
                x.putScalar(new long[] {0, ids[t], t}, 1.0);
            }
            return x;
        }
        return TextSampler.ids(ids, ids.length);
    }
}
