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
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runtime of {@link TransformerTrunk}: its forward and backward passes in ND4J. It extends DL4J's SameDiff layer
 * runtime only for its handling of the parameter and gradient views; no SameDiff graph is built.
 *
 * <p>Each pass allocates in a workspace of its own (per thread, reused from one minibatch to the next), as DL4J's own
 * layers do; without one, the intermediates (about 0.5 GB a minibatch at width 128, 2 blocks, 64 x 128 steps) waited
 * for the garbage collector and two workers' off-heap memory grew past 18 GB. As DL4J's LSTM does, the backward pass
 * runs the forward pass again in its workspace rather than keep the first one's arrays past its scope (ND4J refuses
 * to read arrays of a closed workspace); the dropout masks the training forward pass drew are kept for it.
 */
final class TransformerTrunkLayer extends SameDiffLayer {
    private static final long serialVersionUID = 1L;
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT).policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** What the forward pass keeps for the backward pass. */
    private static final class Forward {
        int[] ids;
        TransformerBlock.Saved[] blocks;
        LayerNorm.Saved last;
    }

    /** Scale masks of one training pass: after the embeddings, and each block's attention and MLP outputs. */
    private record Dropout(INDArray input, INDArray embedding, INDArray[][] blocks) {
    }

    /**
     * Workspace names, the same for every instance: workspaces are per thread and live as long as it, and a Spark worker
     * builds a new network every averaging round (names per instance grew the memory by a workspace per round).
     */
    private static final String FORWARD_WORKSPACE = "nightjarTransformerForward";
    private static final String BACKWARD_WORKSPACE = "nightjarTransformerBackward";
    private transient Dropout dropout;
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
        dropout = training && trunk().dropout() > 0 ? drawDropout() : null;
        Dropout masks = dropout;
        // copied out while the workspace is open (DL4J refuses to copy from a closed one)
        return inWorkspace(FORWARD_WORKSPACE, () -> workspaceMgr.dup(ArrayType.ACTIVATIONS, forward(masks, null)));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Dropout masks = trunk().dropout() == 0 ? null : dropout != null && dropout.input() == input ? dropout : drawDropout();
        dropout = null;
        inWorkspace(BACKWARD_WORKSPACE, () -> {
            Forward f = new Forward();
            forward(masks, f);
            backward(epsilon, f, masks);
            return null;
        });
        Gradient g = new DefaultGradient();
        for (String name : paramTable.keySet()) {
            g.gradientForVariable().put(name, gradTable.get(name));
        }
        // token ids have no gradient; this layer is the network's first
        INDArray down = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
        down.assign(0);
        return new Pair<>(g, down);
    }

    /** The output {@code [batch, width, T]}; with {@code keep}, what the backward pass needs goes into it. */
    private INDArray forward(Dropout masks, Forward keep) {
        TransformerTrunk t = trunk();
        TransformerBlock.Shape shape = shape();
        int[] ids = ids(input, t.vocab());
        TransformerBlock.Saved[] blocks = new TransformerBlock.Saved[t.layers()];
        INDArray x = Nd4j.pullRows(paramTable.get(TransformerTrunk.EMBEDDING), 1, ids);            // [rows, width], row b * T + t
        long steps = shape.steps();
        INDArray positions = paramTable.get(TransformerTrunk.POSITIONS).get(NDArrayIndex.interval(0, steps), NDArrayIndex.all());
        x.reshape('c', shape.batch(), steps * t.width()).addiRowVector(positions.dup('c').reshape('c', 1, steps * t.width()));
        if (masks != null) {
            x.muli(masks.embedding());
        }
        INDArray mask = causalMask(x.dataType(), steps);
        for (int i = 0; i < t.layers(); i++) {
            blocks[i] = new TransformerBlock.Saved();
            x = TransformerBlock.forward(x, blockParams(paramTable, i), shape, mask, masks == null ? null : masks.blocks()[i], blocks[i]);
        }
        LayerNorm.Saved[] last = new LayerNorm.Saved[1];
        INDArray y = LayerNorm.forward(x, paramTable.get(TransformerTrunk.FINAL_GAIN), paramTable.get(TransformerTrunk.FINAL_BIAS), last);
        if (keep != null) {
            keep.ids = ids;
            keep.blocks = blocks;
            keep.last = last[0];
        }
        return y.reshape('c', shape.batch(), steps, t.width()).permute(0, 2, 1);
    }

    /** Fills {@link #gradTable} from the gradient of the output {@code [batch, width, T]}. */
    private void backward(INDArray epsilon, Forward f, Dropout masks) {
        TransformerTrunk t = trunk();
        TransformerBlock.Shape shape = shape();
        gradTable.values().forEach(a -> a.assign(0));
        INDArray g = epsilon.permute(0, 2, 1).dup('c').reshape('c', shape.rows(), t.width());
        g = LayerNorm.backward(g, paramTable.get(TransformerTrunk.FINAL_GAIN), f.last,
                gradTable.get(TransformerTrunk.FINAL_GAIN), gradTable.get(TransformerTrunk.FINAL_BIAS));
        for (int i = t.layers() - 1; i >= 0; i--) {
            g = TransformerBlock.backward(g, blockParams(paramTable, i), blockParams(gradTable, i), shape, f.blocks[i]);
        }
        if (masks != null) {
            g.muli(masks.embedding());
        }
        long steps = shape.steps();
        gradTable.get(TransformerTrunk.POSITIONS).get(NDArrayIndex.interval(0, steps), NDArrayIndex.all())
                .assign(g.reshape('c', shape.batch(), steps * t.width()).sum(0).reshape('c', steps, t.width()));
        gradTable.get(TransformerTrunk.EMBEDDING).assign(scatterRows(g, f.ids, t.vocab()));
    }

    private TransformerBlock.Shape shape() {
        TransformerTrunk t = trunk();
        long steps = input.size(2);
        if (steps > t.context()) {
            throw new IllegalArgumentException("a sequence of " + steps + " steps is longer than the model's context of " + t.context());
        }
        return new TransformerBlock.Shape(input.size(0), steps, t.width(), t.heads());
    }

    /** New dropout masks for this input, outside the workspaces (they outlive the forward pass). */
    private Dropout drawDropout() {
        TransformerTrunk t = trunk();
        long[] rows = {input.size(0) * input.size(2), t.width()};
        MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            INDArray[][] blocks = new INDArray[t.layers()][];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = new INDArray[] {TransformerBlock.dropoutMask(dataType, rows, t.dropout()),
                        TransformerBlock.dropoutMask(dataType, rows, t.dropout())};
            }
            return new Dropout(input, TransformerBlock.dropoutMask(dataType, rows, t.dropout()), blocks);
        } finally {
            outside.close();
        }
    }

    /** Runs {@code pass} with workspace {@code id} (this thread's) open. */
    private static <T> T inWorkspace(String id, Supplier<T> pass) {
        MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, id);
        try {
            return pass.get();
        } finally {
            ws.close();
        }
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
            MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces(); // kept across passes
            try {
                causal = TransformerBlock.causalMask(type, steps);
            } finally {
                outside.close();
            }
        }
        return causal;
    }
}
