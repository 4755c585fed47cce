package dev.nightjar.model.transformer;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * One pre-LayerNorm Transformer block (GPT-2) on rows of one step each {@code [batch * steps, width]}, row
 * {@code b * steps + t}: {@code x + attention(LN1(x))}, then {@code x + MLP(LN2(x))}, with its backward pass written
 * out. The attention is multi-head and causal: step t reads steps 0..t only (an additive -1e9 above the diagonal
 * before the softmax). The MLP is {@code width -> mlp -> width} with GELU (the tanh form). Dropout, when on, drops
 * units of the two branches before they join the residual stream.
 */
final class TransformerBlock {
    /** GPT-2's initialisation: N(0, 0.02); the projections into the residual stream are scaled down by sqrt(2 layers). */
    static final double INIT_STD = 0.02;

    public static final String LN1_GAIN = "ln1g";
    public static final String LN1_BIAS = "ln1b";
    public static final String WQ = "Wq";
    public static final String WK = "Wk";
    public static final String WV = "Wv";
    public static final String BQ = "bq";
    public static final String BK = "bk";
    public static final String BV = "bv";
    public static final String WO = "Wo";
    public static final String BO = "bo";
    public static final String LN2_GAIN = "ln2g";
    public static final String LN2_BIAS = "ln2b";
    public static final String W1 = "W1";
    public static final String B1 = "b1";
    public static final String W2 = "W2";
    public static final String B2 = "b2";

    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    private static final double GELU_A = 0.044715;

    /** The shape of one pass: rows are {@code batch * steps}. */
    record Shape(long batch, long steps, int width, int heads) {
        long rows() {
            return batch * steps;
        }

        long headWidth() {
            return width / heads;
        }
    }

    /** What one block's forward pass keeps for its backward pass. */
    static final class Saved {
        LayerNorm.Saved ln1;
        LayerNorm.Saved ln2;
        INDArray h;        // LN1(x)      [rows, width]
        INDArray q;        // per head    [batch * heads, steps, headWidth]
        INDArray k;
        INDArray v;
        INDArray attention; // softmax     [batch * heads, steps, steps]
        INDArray mixed;    // attention·v  [rows, width]
        INDArray h2;       // LN2(x1)     [rows, width]
        INDArray u;        // h2·W1 + b1  [rows, mlp]
        INDArray tanh;     // GELU's tanh [rows, mlp]
        INDArray gelu;     // GELU(u)     [rows, mlp]
        INDArray dropAttention; // dropout scale masks (null without dropout)
        INDArray dropMlp;
    }

    private TransformerBlock() {
    }

    /**
     * One block forward; {@code p} holds this block's parameters by their short names, {@code causal} the additive
     * mask {@code [steps, steps]}, {@code dropout} the scale masks of its attention and MLP outputs (null: none).
     */
    static INDArray forward(INDArray x, Map<String, INDArray> p, Shape shape, INDArray causal, INDArray[] dropout, Saved s) {
        LayerNorm.Saved[] ln = new LayerNorm.Saved[1];
        s.h = LayerNorm.forward(x, p.get(LN1_GAIN), p.get(LN1_BIAS), ln);
        s.ln1 = ln[0];
        s.q = toHeads(s.h.mmul(p.get(WQ)).addiRowVector(p.get(BQ)), shape);
        s.k = toHeads(s.h.mmul(p.get(WK)).addiRowVector(p.get(BK)), shape);
        s.v = toHeads(s.h.mmul(p.get(WV)).addiRowVector(p.get(BV)), shape);
        INDArray scores = Nd4j.matmul(s.q, s.k, false, true, false).muli(1.0 / Math.sqrt(shape.headWidth()));
        long steps = shape.steps();
        scores.reshape('c', scores.size(0), steps * steps).addiRowVector(causal.reshape('c', 1, steps * steps));
        s.attention = Nd4j.exec(new SoftMax(scores, 2))[0];
        s.mixed = fromHeads(Nd4j.matmul(s.attention, s.v), shape);
        INDArray branch = s.mixed.mmul(p.get(WO)).addiRowVector(p.get(BO));
        s.dropAttention = dropout == null ? null : dropout[0];
        INDArray x1 = x.add(s.dropAttention == null ? branch : branch.muli(s.dropAttention));

        s.h2 = LayerNorm.forward(x1, p.get(LN2_GAIN), p.get(LN2_BIAS), ln);
        s.ln2 = ln[0];
        s.u = s.h2.mmul(p.get(W1)).addiRowVector(p.get(B1));
        s.tanh = Transforms.tanh(s.u.mul(s.u).muli(GELU_A).addi(1).muli(s.u).muli(GELU_C), false);
        s.gelu = s.tanh.add(1).muli(s.u).muli(0.5);
        INDArray mlpOut = s.gelu.mmul(p.get(W2)).addiRowVector(p.get(B2));
        s.dropMlp = dropout == null ? null : dropout[1];
        return x1.addi(s.dropMlp == null ? mlpOut : mlpOut.muli(s.dropMlp));
    }

    /**
     * One block backward from the gradient of its output; adds its parameters' gradients to {@code grads} (this block's
     * views, by short name) and returns the gradient of its input.
     */
    static INDArray backward(INDArray gradOut, Map<String, INDArray> p, Map<String, INDArray> grads, Shape shape, Saved s) {
        // MLP branch: x2 = x1 + drop(GELU(LN2(x1)·W1 + b1)·W2 + b2)
        INDArray g = s.dropMlp == null ? gradOut : gradOut.mul(s.dropMlp);
        grads.get(W2).addi(s.gelu.transpose().mmul(g));
        grads.get(B2).addi(g.sum(true, 0));
        INDArray gu = g.mmul(p.get(W2).transpose()).muli(geluDerivative(s));
        grads.get(W1).addi(s.h2.transpose().mmul(gu));
        grads.get(B1).addi(gu.sum(true, 0));
        INDArray gx1 = LayerNorm.backward(gu.mmul(p.get(W1).transpose()), p.get(LN2_GAIN), s.ln2, grads.get(LN2_GAIN), grads.get(LN2_BIAS))
                .addi(gradOut);

        // attention branch: x1 = x + drop(mixed·Wo + bo)
        g = s.dropAttention == null ? gx1 : gx1.mul(s.dropAttention);
        grads.get(WO).addi(s.mixed.transpose().mmul(g));
        grads.get(BO).addi(g.sum(true, 0));
        INDArray gMixed = toHeads(g.mmul(p.get(WO).transpose()), shape);              // [bh, T, hw]
        INDArray gAttention = Nd4j.matmul(gMixed, s.v, false, true, false);             // [bh, T, T]
        INDArray gv = Nd4j.matmul(s.attention, gMixed, true, false, false);             // [bh, T, hw]
        long steps = shape.steps();
        INDArray a2 = s.attention.reshape('c', -1, steps);
        INDArray ga2 = gAttention.reshape('c', -1, steps);
        INDArray gScores = ga2.subColumnVector(ga2.mul(a2).sum(true, 1)).muli(a2).muli(1.0 / Math.sqrt(shape.headWidth()))
                .reshape('c', gAttention.shape());
        INDArray gq = fromHeads(Nd4j.matmul(gScores, s.k), shape);
        INDArray gk = fromHeads(Nd4j.matmul(gScores, s.q, true, false, false), shape);
        INDArray gvRows = fromHeads(gv, shape);
        INDArray gh = projectionBackward(s.h, gq, WQ, BQ, p, grads)
                .addi(projectionBackward(s.h, gk, WK, BK, p, grads))
                .addi(projectionBackward(s.h, gvRows, WV, BV, p, grads));
        return LayerNorm.backward(gh, p.get(LN1_GAIN), s.ln1, grads.get(LN1_GAIN), grads.get(LN1_BIAS)).addi(gx1);
    }

    /** For {@code y = h·W + b}: adds W's and b's gradients, returns h's. */
    private static INDArray projectionBackward(INDArray h, INDArray gy, String w, String b, Map<String, INDArray> p, Map<String, INDArray> grads) {
        grads.get(w).addi(h.transpose().mmul(gy));
        grads.get(b).addi(gy.sum(true, 0));
        return gy.mmul(p.get(w).transpose());
    }

    /** d GELU(u) / du for the tanh form: 0.5 (1 + t) + 0.5 u (1 - t^2) c (1 + 3 a u^2). */
    private static INDArray geluDerivative(Saved s) {
        INDArray sech2 = s.tanh.mul(s.tanh).rsubi(1);
        INDArray inner = s.u.mul(s.u).muli(3 * GELU_A).addi(1).muli(GELU_C);
        return sech2.muli(inner).muli(s.u).addi(s.tanh).addi(1).muli(0.5);
    }

    /** Inverted dropout: 0 with probability {@code rate}, else 1 / (1 - rate); from ND4J's seeded generator. */
    static INDArray dropoutMask(org.nd4j.linalg.api.buffer.DataType type, long[] shape, double rate) {
        return Transforms.step(Nd4j.rand(type, shape).subi(rate)).muli(1.0 / (1.0 - rate));
    }

    /** {@code [b * T, width]} rows to {@code [b * heads, T, headWidth]}. */
    static INDArray toHeads(INDArray rows, Shape shape) {
        return rows.reshape('c', shape.batch(), shape.steps(), shape.heads(), shape.headWidth()).permute(0, 2, 1, 3).dup('c')
                .reshape('c', shape.batch() * shape.heads(), shape.steps(), shape.headWidth());
    }

    /** The inverse of {@link #toHeads}. */
    static INDArray fromHeads(INDArray heads, Shape shape) {
        return heads.reshape('c', shape.batch(), shape.heads(), shape.steps(), shape.headWidth()).permute(0, 2, 1, 3).dup('c')
                .reshape('c', shape.rows(), shape.width());
    }

    /** 0 on and below the diagonal, -1e9 above it: step t attends to steps 0..t. */
    static INDArray causalMask(org.nd4j.linalg.api.buffer.DataType type, long steps) {
        INDArray m = Nd4j.zeros(type, steps, steps);
        for (int i = 0; i < steps; i++) {
            for (int j = i + 1; j < steps; j++) {
                m.putScalar(i, j, -1e9);
            }
        }
        return m;
    }

    static void defineParameters(SDLayerParams params, String prefix, int width, int mlp) {
        params.addBiasParam(prefix + LN1_GAIN, 1, width);
        params.addBiasParam(prefix + LN1_BIAS, 1, width);
        for (String w : new String[] {WQ, WK, WV, WO}) {
            params.addWeightParam(prefix + w, width, width);
        }
        for (String b : new String[] {BQ, BK, BV, BO}) {
            params.addBiasParam(prefix + b, 1, width);
        }
        params.addBiasParam(prefix + LN2_GAIN, 1, width);
        params.addBiasParam(prefix + LN2_BIAS, 1, width);
        params.addWeightParam(prefix + W1, width, mlp);
        params.addBiasParam(prefix + B1, 1, mlp);
        params.addWeightParam(prefix + W2, mlp, width);
        params.addBiasParam(prefix + B2, 1, width);
    }
}
