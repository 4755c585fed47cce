package dev.nightjar.model.transformer;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.HashMap;
import java.util.Map;

/**
 * The whole Transformer below the softmax as one DL4J layer defined in SameDiff: one-hot tokens {@code [batch, vocab, T]} in,
 * the final LayerNorm's output {@code [batch, width, T]} out. Inside: a token embedding (the one-hot rows times the
 * table), a learned position embedding, {@code layers} pre-LayerNorm {@link TransformerBlock}s and a final LayerNorm.
 *
 * <p>One layer, not a layer per block: in 1.0.0-M2 the gradient a {@code SameDiffLayer} hands down to the layer below
 * it came out as zeros, so every layer under the top block learned nothing ({@code TransformerGradientTest} found
 * it); gradients inside one SameDiff graph are right, and the first layer's input (the ids) needs none.
 *
 * <p>The graph is built the first time the layer runs, for the number of steps it is given then (DL4J builds a
 * SameDiff layer once); a network instance therefore reads sequences of one length, as training and evaluation do,
 * and sampling always feeds windows of the model's context, padded at the end (the attention is causal, so padding
 * after the last real token changes nothing before it).
 */
public final class TransformerTrunk extends SameDiffLayer {
    private static final long serialVersionUID = 1L;
    public static final String EMBEDDING = "E";
    public static final String POSITIONS = "P";
    public static final String FINAL_GAIN = "lnfg";
    public static final String FINAL_BIAS = "lnfb";

    @JsonProperty
    private int vocab;
    @JsonProperty
    private int width;
    @JsonProperty
    private int heads;
    @JsonProperty
    private int mlp;
    @JsonProperty
    private int layers;
    @JsonProperty
    private int context;

    private TransformerTrunk() {
        // for Jackson
    }

    public TransformerTrunk(int vocab, int width, int heads, int mlp, int layers, int context) {
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not a multiple of heads " + heads);
        }
        this.vocab = vocab;
        this.width = width;
        this.heads = heads;
        this.mlp = mlp;
        this.layers = layers;
        this.context = context;
    }

    public int context() {
        return context;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
        long steps = input.getShape()[2];
        if (steps > context) {
            throw new IllegalArgumentException("a sequence of " + steps + " steps is longer than the model's context of " + context);
        }
        // one-hot rows times the table: ids cast to integers inside SameDiff cut every gradient below them in 1.0.0-M2
        SDVariable x = input.permute(0, 2, 1).reshape(-1, vocab).mmul(p.get(EMBEDDING));            // [batch * T, width]
        SDVariable positions = p.get(POSITIONS);                                                 // [context, width]
        if (steps < context) {
            positions = positions.get(SDIndex.interval(0L, steps), SDIndex.all());
        }
        x = x.reshape(-1, steps, width).add(positions).reshape(-1, width);
        for (int i = 0; i < layers; i++) {
            x = TransformerBlock.define(sd, x, blockParams(p, i), steps, width, heads);
        }
        x = SameDiffOps.layerNorm(sd, x, p.get(FINAL_GAIN), p.get(FINAL_BIAS), width);
        return x.reshape(-1, steps, width).permute(0, 2, 1);
    }

    private static Map<String, SDVariable> blockParams(Map<String, SDVariable> all, int block) {
        Map<String, SDVariable> mine = new HashMap<>();
        String prefix = "blk" + block;
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                mine.put(k.substring(prefix.length()), v);
            }
        });
        return mine;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam(EMBEDDING, vocab, width);
        params.addWeightParam(POSITIONS, context, width);
        for (int i = 0; i < layers; i++) {
            TransformerBlock.defineParameters(params, "blk" + i, width, mlp);
        }
        params.addBiasParam(FINAL_GAIN, 1, width);
        params.addBiasParam(FINAL_BIAS, 1, width);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        double residual = TransformerBlock.INIT_STD / Math.sqrt(2.0 * layers);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray a = e.getValue();
            // block parameters are "blk<i><name>": DL4J splits "<layer>_<param>" keys at an underscore, so none is used
            String name = e.getKey().startsWith("blk") ? e.getKey().replaceFirst("^blk[0-9]+", "") : e.getKey();
            switch (name) {
                case EMBEDDING, POSITIONS, TransformerBlock.WQ, TransformerBlock.WK, TransformerBlock.WV, TransformerBlock.W1 ->
                        a.assign(Nd4j.randn(a.dataType(), a.shape()).muli(TransformerBlock.INIT_STD));
                case TransformerBlock.WO, TransformerBlock.W2 -> a.assign(Nd4j.randn(a.dataType(), a.shape()).muli(residual));
                case TransformerBlock.LN1_GAIN, TransformerBlock.LN2_GAIN, FINAL_GAIN -> a.assign(1);
                default -> a.assign(0);
            }
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(org.deeplearning4j.nn.conf.NeuralNetConfiguration conf,
                                                       java.util.Collection<org.deeplearning4j.optimize.api.TrainingListener> listeners,
                                                       int index, INDArray params, boolean initialize, DataType dataType) {
        return InputGradientSameDiffLayer.instantiate(this, conf, listeners, index, params, initialize, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.recurrent(width, ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // the vocabulary is fixed at construction
    }
}
