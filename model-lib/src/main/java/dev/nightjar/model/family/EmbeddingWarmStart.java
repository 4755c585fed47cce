package dev.nightjar.model.family;

import dev.nightjar.UserException;
import dev.nightjar.config.Setting;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.text.Tokenizer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code --init-from} for the families on word embeddings (text CNN, BiLSTM): the embedding table of
 * word vectors ({@code prepare vectors}), a language model or a text classifier with the dataset's
 * tokenizer, copied into the new graph's embedding layer.
 */
final class EmbeddingWarmStart {
    private EmbeddingWarmStart() {
    }

    /**
     * The embedding table of the run's {@code --init-from}, or null without one: word vectors, a language model or a text
     * classifier with the dataset's tokenizer and {@code embeddingSize} columns; a clear error for any other bundle.
     *
     * @param size the family's embedding-size setting, named in the error when the widths differ
     */
    static INDArray table(SetupContext ctx, Tokenizer tokenizer, Setting<Integer> size, int embeddingSize) {
        ModelBundle from = ctx.initFrom();
        String ref = ctx.initFromRef();
        if (from == null) {
            return null;
        }
        if (from.network().isGraph() || !tokenizer.equals(from.tokenizer())) {
            throw new UserException("--init-from " + ref + " must be word vectors (prepare vectors), a language model or a text "
                    + "classifier with the dataset's tokenizer (prepare the data with --tokenizer-from " + ref + ")");
        }
        MultiLayerNetwork net = from.network().multiLayer();
        if (!(net.getLayerWiseConfigurations().getConf(0).getLayer() instanceof EmbeddingSequenceLayer emb)) {
            throw new UserException("--init-from " + ref + " has no embedding layer (one-hot input)");
        }
        if (emb.getNOut() != embeddingSize) {
            throw new UserException("config key '" + size.key() + "' is " + embeddingSize + " but the embedding of "
                    + ref + " has " + emb.getNOut() + " columns");
        }
        return net.getLayer(0).getParam("W");
    }

    /** Copies {@code table} (null: none, the graph keeps its fresh weights) into the graph's embedding layer. */
    static void copy(INDArray table, ComputationGraph net, String layer) {
        if (table != null) {
            net.getLayer(layer).setParam("W", table.dup());
        }
    }
}
