package dev.nightjar.model.transformer;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The Transformer's building blocks composed from SameDiff's basic ops (mean, sub, mul, rsqrt, tanh, exp, sum,
 * mmul), whose gradients {@code TransformerGradientTest} checks against finite differences. SameDiff's fused ops
 * are avoided where 1.0.0-M2 was found wrong (see the class notes of {@link TransformerBlock}).
 */
final class SameDiffOps {
    static final double LN_EPS = 1e-5;

    private SameDiffOps() {
    }

    /**
     * The layer's input as its ops should read it: {@code (x + x) / 2}. In 1.0.0-M2 a DL4J {@code SameDiffLayer} hands
     * back a wrong gradient for its input (zero, or garbage) when the input feeds a single op: the array it returns
     * is released when the layer clears its op inputs. An input read twice has its gradient summed into a fresh
     * array, which survives (found by {@code TransformerGradientTest}: every layer below a block had zero gradients).
     */
    static SDVariable entry(SDVariable input) {
        return input.add(input).mul(0.5);
    }

    /**
     * Layer normalisation of each row of {@code x [rows, width]} with {@code gain} and {@code bias} of shape [1, width]:
     * SameDiff's fused op. Composed from mean/sub/mul/rsqrt (or with the row statistics as matrix products) it passed
     * no gradient at all to its input inside the DL4J layer in 1.0.0-M2 (every parameter below the final LayerNorm had
     * a zero gradient); the fused op passes one (checked: the blocks' attention weights then get gradients).
     */
    static SDVariable layerNorm(SameDiff sd, SDVariable x, SDVariable gain, SDVariable bias, int width) {
        return sd.nn.layerNorm(x, gain.reshape(width), bias.reshape(width), false, 1);
    }

    /** GELU, the tanh approximation of GPT-2: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    static SDVariable gelu(SameDiff sd, SDVariable x) {
        SDVariable inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return x.mul(0.5).mul(sd.math.tanh(inner).add(1.0));
    }

    /** Softmax over the last axis ({@code axis}) of x, as exp(x - max) / sum. */
    static SDVariable softmax(SameDiff sd, SDVariable x, int axis) {
        return sd.nn.softmax(x, axis);
    }
}
