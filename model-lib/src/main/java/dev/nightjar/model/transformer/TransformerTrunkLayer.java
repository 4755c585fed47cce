package dev.nightjar.model.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.HashMap;
import java.util.Map;

/**
 * The runtime of {@link TransformerTrunk}: its forward and backward passes in ND4J, outside DL4J's workspaces. It
 * extends DL4J's SameDiff layer runtime only for its handling of the parameter and gradient views; no SameDiff graph
 * is built. A training forward pass keeps what the backward pass needs (and the dropout masks it drew).
 */
final class TransformerTrunkLayer extends SameDiffLayer {
    private static final long serialVersionUID = 1L;

    /** What a training forward pass keeps for the backward pass. */
    private record Forward(INDArray input, TransformerBlock.Shape shape, int[] ids, INDArray dropEmbedding,
                           TransformerBlock.Saved[] blocks, LayerNorm.Saved last) {
    }

    private transient Forward saved;
    private transient INDArray causal;

    TransformerTrunkLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private TransformerTrunk trunk() {
        return (TransformerTrunk) layerConf();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray out;
        MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            out = forward(training);
        } finally {
            outside.close();
        }
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, out);
    }

    /** The output {@code [batch, width, T]}; a training pass keeps its intermediates in {@link #saved}. */
    private INDArray forward(boolean training) {
        TransformerTrunk t = trunk();
        long batch = input.size(0);
        long steps = input.size(2);
        if (steps > t.context()) {
            throw new IllegalArgumentException("a sequence of " + steps + " steps is longer than the model's context of " + t.context());
        }
        TransformerBlock.Shape shape = new TransformerBlock.Shape(batch, steps, t.width(), t.heads());
        int[] ids = ids(input, t.vocab());
        double dropout = training ? t.dropout() : 0;
        INDArray x = Nd4j.pullRows(paramTable.get(TransformerTrunk.EMBEDDING), 1, ids);            // [rows, width], row b * T + t
        INDArray positions = paramTable.get(TransformerTrunk.POSITIONS).get(NDArrayIndex.interval(0, steps), NDArrayIndex.all());
        x.reshape('c', batch, steps * t.width()).addiRowVector(positions.dup('c').reshape('c', 1, steps * t.width()));
        INDArray dropEmbedding = null;
        if (dropout > 0) {
            dropEmbedding = Transforms.step(Nd4j.rand(x.dataType(), x.shape()).subi(dropout)).muli(1.0 / (1.0 - dropout));
            x.muli(dropEmbedding);
        }
        INDArray mask = causalMask(x.dataType(), steps);
        TransformerBlock.Saved[] blocks = new TransformerBlock.Saved[t.layers()];
        for (int i = 0; i < t.layers(); i++) {
            blocks[i] = new TransformerBlock.Saved();
            x = TransformerBlock.forward(x, blockParams(paramTable, i), shape, mask, dropout, blocks[i]);
        }
        LayerNorm.Saved[] last = new LayerNorm.Saved[1];
        INDArray y = LayerNorm.forward(x, paramTable.get(TransformerTrunk.FINAL_GAIN), paramTable.get(TransformerTrunk.FINAL_BIAS), last);
        saved = training ? new Forward(input, shape, ids, dropEmbedding, blocks, last[0]) : null;
        return y.reshape('c', batch, steps, t.width()).permute(0, 2, 1);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            if (saved == null || saved.input() != input) {
                forward(true);
            }
            backward(epsilon);
        } finally {
            saved = null;
            outside.close();
        }
        Gradient g = new DefaultGradient();
        for (String name : paramTable.keySet()) {
            g.gradientForVariable().put(name, gradTable.get(name));
        }
        // token ids have no gradient; this layer is the network's first
        INDArray down = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
        down.assign(0);
        return new Pair<>(g, down);
    }

    /** Fills {@link #gradTable} from the gradient of the output {@code [batch, width, T]}. */
    private void backward(INDArray epsilon) {
        TransformerTrunk t = trunk();
        TransformerBlock.Shape shape = saved.shape();
        gradTable.values().forEach(a -> a.assign(0));
        INDArray g = epsilon.permute(0, 2, 1).dup('c').reshape('c', shape.rows(), t.width());
        g = LayerNorm.backward(g, paramTable.get(TransformerTrunk.FINAL_GAIN), saved.last(),
                gradTable.get(TransformerTrunk.FINAL_GAIN), gradTable.get(TransformerTrunk.FINAL_BIAS));
        for (int i = t.layers() - 1; i >= 0; i--) {
            g = TransformerBlock.backward(g, blockParams(paramTable, i), blockParams(gradTable, i), shape, saved.blocks()[i]);
        }
        if (saved.dropEmbedding() != null) {
            g.muli(saved.dropEmbedding());
        }
        long steps = shape.steps();
        gradTable.get(TransformerTrunk.POSITIONS).get(NDArrayIndex.interval(0, steps), NDArrayIndex.all())
                .assign(g.reshape('c', shape.batch(), steps * t.width()).sum(0).reshape('c', steps, t.width()));
        gradTable.get(TransformerTrunk.EMBEDDING).assign(scatterRows(g, saved.ids(), t.vocab()));
    }

    /** The sum of the rows of {@code g} by their token id: the embedding table's gradient {@code [vocab, width]}. */
    private static INDArray scatterRows(INDArray g, int[] ids, int vocab) {
        int width = (int) g.size(1);
        double[] rows = g.dup('c').data().asDouble();
        double[] table = new double[vocab * width];
        for (int r = 0; r < ids.length; r++) {
            int to = ids[r] * width;
            int from = r * width;
            for (int j = 0; j < width; j++) {
                table[to + j] += rows[from + j];
            }
        }
        return Nd4j.create(table, new long[] {vocab, width}, DataType.DOUBLE).castTo(g.dataType());
    }

    /** Token ids {@code [batch, 1, T]} (as numbers) to row indices, row {@code b * T + t}. */
    private static int[] ids(INDArray input, int vocab) {
        if (input.rank() != 3 || input.size(1) != 1) {
            throw new IllegalArgumentException("a Transformer reads token ids [batch, 1, steps], got " + java.util.Arrays.toString(input.shape()));
        }
        double[] values = input.dup('c').data().asDouble();
        int[] ids = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int id = (int) values[i];
            if (id != values[i] || id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + values[i] + " at " + i + " is not one of the model's " + vocab + " ids");
            }
            ids[i] = id;
        }
        return ids;
    }

    /** Block {@code i}'s entries of a parameter or gradient table, by their short names. */
    private static Map<String, INDArray> blockParams(Map<String, INDArray> all, int block) {
        String prefix = TransformerTrunk.blockPrefix(block);
        Map<String, INDArray> mine = new HashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix) && !Character.isDigit(k.charAt(prefix.length()))) {
                mine.put(k.substring(prefix.length()), v);
            }
        });
        return mine;
    }

    private INDArray causalMask(DataType type, long steps) {
        if (causal == null || causal.size(0) != steps || causal.dataType() != type) {
            causal = TransformerBlock.causalMask(type, steps);
        }
        return causal;
    }
}
