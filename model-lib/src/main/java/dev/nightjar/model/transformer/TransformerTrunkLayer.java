package dev.nightjar.model.transformer;

import org.deeplearning4j.nn.api.MaskState;
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
        INDArray in = windows(input);
        dropout = training && trunk().dropout() > 0 && trunk().trainableBlocks() != 0 ? drawDropout(in) : null;
        Dropout masks = dropout;
        // copied out while the workspace is open (DL4J refuses to copy from a closed one)
        return inWorkspace(FORWARD_WORKSPACE, () -> workspaceMgr.dup(ArrayType.ACTIVATIONS, output(forward(in, masks, null))));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        gradTable.values().forEach(a -> a.assign(0));
        if (trunk().trainableBlocks() != 0) { // 0: nothing below the head trains
            INDArray in = windows(input);
            Dropout masks = trunk().dropout() == 0 ? null : dropout != null && dropout.input() == input ? dropout : drawDropout(in);
            inWorkspace(BACKWARD_WORKSPACE, () -> {
                Forward f = new Forward();
                forward(in, masks, f);
                backward(rows(epsilon), f, masks, shape(in));
                return null;
            });
        }
        dropout = null;
        Gradient g = new DefaultGradient();
        for (String name : paramTable.keySet()) {
            g.gradientForVariable().put(name, gradTable.get(name));
        }
        // token ids have no gradient; this layer is the network's first
        INDArray down = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
        down.assign(0);
        return new Pair<>(g, down);
    }

    /** The mask passes through unchanged (DL4J's SameDiff runtime would ask a SameDiff configuration for it). */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray mask, MaskState state, int minibatchSize) {
        this.maskArray = mask;
        this.maskState = state;
        return new Pair<>(mask, state);
    }

    /**
     * The input as the model reads it: a sequence longer than the context as consecutive windows of the context, each
     * read on its own as a row of the batch ({@code [batch x windows, 1, context]}, the last padded with id 0).
     */
    private INDArray windows(INDArray in) {
        long steps = in.size(2);
        long context = trunk().context();
        if (steps <= context) {
            return in;
        }
        if (!trunk().windowed()) {
            throw new IllegalArgumentException("a sequence of " + steps + " steps is longer than the model's context of " + context);
        }
        long windows = (steps + context - 1) / context;
        INDArray padded = Nd4j.zeros(in.dataType(), in.size(0), 1, windows * context);
        padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, steps)).assign(in);
        return padded.reshape('c', in.size(0) * windows, 1, context);
    }

    /** The output rows {@code [rows, width]} (of the windows, in order) as {@code [batch, width, T]} of the input. */
    private INDArray output(INDArray rows) {
        long batch = input.size(0);
        long steps = input.size(2);
        INDArray y = rows.reshape('c', batch, rows.size(0) / batch, trunk().width());
        if (y.size(1) != steps) {
            y = y.get(NDArrayIndex.all(), NDArrayIndex.interval(0, steps), NDArrayIndex.all());
        }
        return y.permute(0, 2, 1);
    }

    /** The gradient of the output {@code [batch, width, T]} as rows {@code [rows, width]} of the windows (0 on their padding). */
    private INDArray rows(INDArray epsilon) {
        long batch = input.size(0);
        long steps = input.size(2);
        long context = trunk().context();
        INDArray g = epsilon.permute(0, 2, 1);
        if (steps > context) {
            INDArray padded = Nd4j.zeros(g.dataType(), batch, (steps + context - 1) / context * context, trunk().width());
            padded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, steps), NDArrayIndex.all()).assign(g);
            g = padded;
        }
        return g.dup('c').reshape('c', g.size(0) * g.size(1), trunk().width());
    }

    /** The output rows {@code [rows, width]} of windows {@code in}; with {@code keep}, what the backward pass needs goes into it. */
    private INDArray forward(INDArray in, Dropout masks, Forward keep) {
        TransformerTrunk t = trunk();
        TransformerBlock.Shape shape = shape(in);
        int[] ids = ids(in, t.vocab());
        TransformerBlock.Saved[] blocks = new TransformerBlock.Saved[t.layers()];
        INDArray x = Nd4j.pullRows(paramTable.get(TransformerTrunk.EMBEDDING), 1, ids);            // [rows, width], row b * T + t
        long steps = shape.steps();
        INDArray positions = paramTable.get(TransformerTrunk.POSITIONS).get(NDArrayIndex.interval(0, steps), NDArrayIndex.all());
        x.reshape('c', shape.batch(), steps * t.width()).addiRowVector(positions.dup('c').reshape('c', 1, steps * t.width()));
        if (masks != null && masks.embedding() != null) {
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
        return y;
    }

    /**
     * Fills {@link #gradTable}'s trainable entries from the gradient of the output rows {@code [rows, width]}; blocks
     * below the lowest trainable one are not visited.
     */
    private void backward(INDArray g, Forward f, Dropout masks, TransformerBlock.Shape shape) {
        TransformerTrunk t = trunk();
        g = LayerNorm.backward(g, paramTable.get(TransformerTrunk.FINAL_GAIN), f.last,
                gradTable.get(TransformerTrunk.FINAL_GAIN), gradTable.get(TransformerTrunk.FINAL_BIAS));
        for (int i = t.layers() - 1; i >= t.lowestTrainableBlock(); i--) {
            g = TransformerBlock.backward(g, blockParams(paramTable, i), blockParams(gradTable, i), shape, f.blocks[i]);
        }
        if (t.trainableBlocks() != TransformerTrunk.ALL) {
            return;
        }
        if (masks != null) {
            g.muli(masks.embedding());
        }
        long steps = shape.steps();
        gradTable.get(TransformerTrunk.POSITIONS).get(NDArrayIndex.interval(0, steps), NDArrayIndex.all())
                .assign(g.reshape('c', shape.batch(), steps * t.width()).sum(0).reshape('c', steps, t.width()));
        gradTable.get(TransformerTrunk.EMBEDDING).assign(scatterRows(g, f.ids, t.vocab()));
    }

    private TransformerBlock.Shape shape(INDArray in) {
        TransformerTrunk t = trunk();
        return new TransformerBlock.Shape(in.size(0), in.size(2), t.width(), t.heads());
    }

    /** New dropout masks for this input read as windows {@code in}, outside the workspaces (they outlive the forward pass). */
    private Dropout drawDropout(INDArray in) {
        TransformerTrunk t = trunk();
        long[] rows = {in.size(0) * in.size(2), t.width()};
        MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            // frozen parts read as in inference, as DL4J's FrozenLayer does: no masks below the lowest block that trains
            INDArray[][] blocks = new INDArray[t.layers()][];
            for (int i = t.lowestTrainableBlock(); i < blocks.length; i++) {
                blocks[i] = new INDArray[] {TransformerBlock.dropoutMask(dataType, rows, t.dropout()),
                        TransformerBlock.dropoutMask(dataType, rows, t.dropout())};
            }
            INDArray embedding = t.trainableBlocks() == TransformerTrunk.ALL ? TransformerBlock.dropoutMask(dataType, rows, t.dropout()) : null;
            return new Dropout(input, embedding, blocks);
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
