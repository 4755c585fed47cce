package dev.nightjar.model.transformer;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * One pre-LayerNorm Transformer block (GPT-2) in SameDiff, on rows of one step each {@code [batch * time, width]}:
 * {@code x + attention(LN1(x))}, then {@code x + MLP(LN2(x))}. The attention is multi-head and causal
 * (step t reads steps 0..t only: an additive -1e9 above the diagonal before the softmax, built in). The MLP is
 * {@code width -> mlp -> width} with GELU (the tanh form).
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

    private TransformerBlock() {
    }

    /** One block on rows {@code x [batch * steps, width]}, with this block's parameters by their short names. */
    static SDVariable define(SameDiff sd, SDVariable x, Map<String, SDVariable> p, long steps, int width, int heads) {
        long headWidth = width / heads;
        SDVariable h = SameDiffOps.layerNorm(sd, x, p.get(LN1_GAIN), p.get(LN1_BIAS), width);
        SDVariable q = split(h.mmul(p.get(WQ)).add(p.get(BQ)), steps, heads, headWidth).permute(0, 2, 1, 3);   // [b, H, T, hw]
        SDVariable kT = split(h.mmul(p.get(WK)).add(p.get(BK)), steps, heads, headWidth).permute(0, 2, 3, 1);  // [b, H, hw, T]
        SDVariable v = split(h.mmul(p.get(WV)).add(p.get(BV)), steps, heads, headWidth).permute(0, 2, 1, 3);   // [b, H, T, hw]
        SDVariable scores = q.mmul(kT).mul(1.0 / Math.sqrt(headWidth)).add(sd.constant(causalMask(x.dataType(), steps)));
        SDVariable attention = SameDiffOps.softmax(sd, scores, 3);
        SDVariable mixed = attention.mmul(v).permute(0, 2, 1, 3).reshape(-1, width);                         // [b * T, width]
        x = x.add(mixed.mmul(p.get(WO)).add(p.get(BO)));
        SDVariable h2 = SameDiffOps.layerNorm(sd, x, p.get(LN2_GAIN), p.get(LN2_BIAS), width);
        SDVariable hidden = sd.nn.gelu(h2.mmul(p.get(W1)).add(p.get(B1)));
        return x.add(hidden.mmul(p.get(W2)).add(p.get(B2)));
    }

    /** [batch * T, width] -> [batch, T, heads, headWidth] */
    private static SDVariable split(SDVariable rows, long steps, int heads, long headWidth) {
        return rows.reshape(-1, steps, heads, headWidth);
    }

    /** 0 on and below the diagonal, -1e9 above it: step t attends to steps 0..t. */
    static INDArray causalMask(DataType type, long steps) {
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
