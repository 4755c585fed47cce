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
 * word vectors ({@code prepare vectors}), a language model or a text classifier, copied into the new
 * graph's embedding layer row by row for every token the source knows (the same token string); the
 * dataset's other tokens keep their fresh random rows, so a corpus word the vectors lack still
 * learns its own (Kim 2014).
 */
final class EmbeddingWarmStart {
    private EmbeddingWarmStart() {
    }

    /**
     * What to copy.
     *
     * @param source the source's embedding table
     * @param from   per dataset token id, the source row it copies, or -1 (a fresh row)
     * @param copied how many dataset tokens the source knows
     */
    record Rows(INDArray source, int[] from, int copied) {
        /** For provenance: dataset tokens initialised from the source, and all of them. */
        java.util.Map<String, Object> provenance() {
            return java.util.Map.of("copied", copied, "tokens", from.length);
        }
    }

    /**
     * The rows the run's {@code --init-from} gives, or null without one: word vectors, a language model or a text
     * classifier with a tokenizer of the dataset's type and {@code embeddingSize} columns; a clear error for any other
     * bundle, or one that knows none of the dataset's tokens.
     *
     * @param size the family's embedding-size setting, named in the error when the widths differ
     */
    static Rows table(SetupContext ctx, Tokenizer tokenizer, Setting<Integer> size, int embeddingSize) {
        ModelBundle from = ctx.initFrom();
        String ref = ctx.initFromRef();
        if (from == null) {
            return null;
        }
        if (from.network().isGraph() || from.tokenizer() == null || !tokenizer.type().equals(from.tokenizer().type())) {
            throw new UserException("--init-from " + ref + " must be word vectors (prepare vectors), a language model or a text "
                    + "classifier with a " + tokenizer.type() + " tokenizer, as the dataset's");
        }
        MultiLayerNetwork net = from.network().multiLayer();
        if (!(net.getLayerWiseConfigurations().getConf(0).getLayer() instanceof EmbeddingSequenceLayer emb)) {
            throw new UserException("--init-from " + ref + " has no embedding layer (one-hot input)");
        }
        if (emb.getNOut() != embeddingSize) {
            throw new UserException("config key '" + size.key() + "' is " + embeddingSize + " but the embedding of "
                    + ref + " has " + emb.getNOut() + " columns");
        }
        java.util.Map<String, Integer> source = new java.util.HashMap<>();
        java.util.List<String> vocab = from.tokenizer().vocab();
        for (int j = 0; j < vocab.size(); j++) {
            source.putIfAbsent(vocab.get(j), j);
        }
        int[] rows = new int[tokenizer.size()];
        int copied = 0;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = source.getOrDefault(tokenizer.token(i), -1);
            copied += rows[i] >= Tokenizer.SPECIALS.size() ? 1 : 0;
        }
        if (copied == 0) {
            throw new UserException("--init-from " + ref + " knows none of the dataset's tokens");
        }
        return new Rows(net.getLayer(0).getParam("W"), rows, copied);
    }

    /** Copies the rows (null: none, the graph keeps its fresh weights) into the graph's embedding layer. */
    static void copy(Rows rows, ComputationGraph net, String layer) {
        if (rows == null) {
            return;
        }
        INDArray w = net.getLayer(layer).getParam("W").dup();
        for (int i = 0; i < rows.from().length; i++) {
            if (rows.from()[i] >= 0) {
                w.putRow(i, rows.source().getRow(rows.from()[i]));
            }
        }
        net.getLayer(layer).setParam("W", w);
    }
}
