package dev.nightjar.model.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Layer normalisation of each row of {@code x [rows, width]}, with its backward pass. */
final class LayerNorm {
    static final double EPS = 1e-5;

    /** What the backward pass needs: the normalised rows and each row's 1 / standard deviation {@code [rows, 1]}. */
    record Saved(INDArray normalised, INDArray inverseStd) {
    }

    private LayerNorm() {
    }

    /** {@code (x - mean) / sqrt(var + eps) * gain + bias}, gain and bias {@code [1, width]}. */
    static INDArray forward(INDArray x, INDArray gain, INDArray bias, Saved[] saved) {
        INDArray centred = x.subColumnVector(x.mean(true, 1));
        INDArray inverseStd = Transforms.pow(centred.mul(centred).mean(true, 1).addi(EPS), -0.5, false);
        INDArray normalised = centred.muliColumnVector(inverseStd);
        saved[0] = new Saved(normalised, inverseStd);
        return normalised.mulRowVector(gain).addiRowVector(bias);
    }

    /** The input's gradient; the gain's and bias's are added to {@code gainGrad} and {@code biasGrad}. */
    static INDArray backward(INDArray gradOut, INDArray gain, Saved s, INDArray gainGrad, INDArray biasGrad) {
        gainGrad.addi(gradOut.mul(s.normalised()).sum(true, 0));
        biasGrad.addi(gradOut.sum(true, 0));
        INDArray g = gradOut.mulRowVector(gain);
        INDArray meanG = g.mean(true, 1);
        INDArray meanGx = g.mul(s.normalised()).mean(true, 1);
        return g.subiColumnVector(meanG).subi(s.normalised().mulColumnVector(meanGx)).muliColumnVector(s.inverseStd());
    }
}
