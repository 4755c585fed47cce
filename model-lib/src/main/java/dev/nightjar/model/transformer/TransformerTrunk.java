package dev.nightjar.model.transformer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The whole Transformer below the softmax as one DL4J layer: token ids {@code [batch, 1, T]} in, the final
 * LayerNorm's output {@code [batch, width, T]} out. Inside: a token embedding, a learned position embedding,
 * {@code layers} pre-LayerNorm {@link TransformerBlock}s and a final LayerNorm; dropout (when on) after the
 * embeddings and on each block's two branches. A classifier's trunk ({@code windowed}) reads a sequence longer than the
 * context as consecutive windows of it, each on its own; a language model's refuses one. A fine-tuned trunk can train
 * only its top blocks ({@code trainableBlocks}): the rest get no gradient, update, weight decay or dropout, and
 * back-propagation stops below them.
 *
 * <p>The parameters are declared the way DL4J's SameDiff layers declare theirs ({@link AbstractSameDiffLayer}), so they
 * are ordinary entries of the network's flat parameter vector (averaging, checkpoints, bundles, the updater); the
 * forward and backward passes are written out in ND4J ({@link TransformerTrunkLayer}). DL4J 1.0.0-M2's SameDiff
 * autodiff was found wrong for this graph: a variable read by two ops (every residual connection) got a wrong or zero
 * gradient, so nothing below the last block learned (experiments.md, issue 19).
 */
public final class TransformerTrunk extends AbstractSameDiffLayer {
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
    @JsonProperty
    private double dropout;
    /** The top blocks that train, with the final LayerNorm; {@link #ALL}: every parameter trains (absent in older bundles). */
    @JsonProperty
    private int trainableBlocks = ALL;
    /** Whether a sequence longer than the context is read in windows of it (a classifier's documents) rather than refused. */
    @JsonProperty
    private boolean windowed;

    /** {@link #trainableBlocks} when every parameter trains, the embeddings included. */
    public static final int ALL = -1;

    private TransformerTrunk() {
        // for Jackson
    }

    public TransformerTrunk(int vocab, int width, int heads, int mlp, int layers, int context, double dropout) {
        this(vocab, width, heads, mlp, layers, context, dropout, ALL, false);
    }

    /**
     * @param trainableBlocks the top blocks that train, with the final LayerNorm (0: nothing trains, the embeddings
     *                        and the blocks below stay as they are); {@link #ALL}: every parameter trains
     * @param windowed        whether a sequence longer than the context is read as consecutive windows of it (a
     *                        classifier's documents; a language model refuses one)
     */
    public TransformerTrunk(int vocab, int width, int heads, int mlp, int layers, int context, double dropout, int trainableBlocks,
                            boolean windowed) {
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not a multiple of heads " + heads);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout " + dropout + " is not in [0, 1)");
        }
        this.vocab = vocab;
        this.width = width;
        this.heads = heads;
        this.mlp = mlp;
        this.layers = layers;
        this.context = context;
        this.dropout = dropout;
        if (trainableBlocks < ALL || trainableBlocks > layers) {
            throw new IllegalArgumentException("trainable blocks " + trainableBlocks + " is not in [-1, " + layers + "]");
        }
        this.trainableBlocks = trainableBlocks;
        this.windowed = windowed;
    }

    public int context() {
        return context;
    }

    int vocab() {
        return vocab;
    }

    public int width() {
        return width;
    }

    int heads() {
        return heads;
    }

    public int layers() {
        return layers;
    }

    double dropout() {
        return dropout;
    }

    /** The same trunk for a classifier: {@code k} top blocks trainable ({@link #ALL}: every parameter), documents read in windows. */
    public TransformerTrunk forClassifier(int k) {
        return new TransformerTrunk(vocab, width, heads, mlp, layers, context, dropout, k, true);
    }

    boolean windowed() {
        return windowed;
    }

    public int trainableBlocks() {
        return trainableBlocks;
    }

    /** The lowest block that trains: blocks below it pass no gradient ({@code layers} when none trains). */
    int lowestTrainableBlock() {
        return trainableBlocks == ALL ? 0 : layers - trainableBlocks;
    }

    /** Whether a parameter trains; the others get no gradient, no update and no weight decay, as a DL4J FrozenLayer's. */
    public boolean trains(String param) {
        if (trainableBlocks == ALL) {
            return true;
        }
        if (param.equals(EMBEDDING) || param.equals(POSITIONS)) {
            return false;
        }
        if (param.equals(FINAL_GAIN) || param.equals(FINAL_BIAS)) {
            return trainableBlocks > 0;
        }
        java.util.regex.Matcher m = BLOCK_PARAM.matcher(param);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("not a parameter of the trunk: " + param);
        }
        return Integer.parseInt(m.group(1)) >= lowestTrainableBlock();
    }

    private static final java.util.regex.Pattern BLOCK_PARAM = java.util.regex.Pattern.compile("blk([0-9]+)");

    @Override
    public IUpdater getUpdaterByParam(String param) {
        return trains(param) ? super.getUpdaterByParam(param) : new NoOp();
    }

    @Override
    public List<Regularization> getRegularizationByParam(String param) {
        return trains(param) ? super.getRegularizationByParam(param) : List.of();
    }

    /** Block {@code i}'s parameter names start with this ("blk0Wq"): DL4J splits "layer_param" keys at '_', so none is used. */
    static String blockPrefix(int block) {
        return "blk" + block;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam(EMBEDDING, vocab, width);
        params.addWeightParam(POSITIONS, context, width);
        for (int i = 0; i < layers; i++) {
            TransformerBlock.defineParameters(params, blockPrefix(i), width, mlp);
        }
        params.addBiasParam(FINAL_GAIN, 1, width);
        params.addBiasParam(FINAL_BIAS, 1, width);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        double residual = TransformerBlock.INIT_STD / Math.sqrt(2.0 * layers);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray a = e.getValue();
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
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index, INDArray params,
                             boolean initialize, DataType dataType) {
        TransformerTrunkLayer layer = new TransformerTrunkLayer(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(params);
        layer.setParamTable(initializer().init(conf, params, initialize));
        layer.setConf(conf);
        return layer;
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
