package dev.nightjar.model;

import dev.nightjar.text.WordVectors;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pretrained word vectors as a model bundle (kind {@value #KIND}): the word tokenizer and an
 * embedding table, one {@code EmbeddingSequenceLayer}, that a family's {@code --init-from} copies.
 * The same tokenizer prepares the data ({@code prepare text --task classification --tokenizer-from}).
 */
public final class Embeddings {
    public static final String KIND = "word-vectors";

    private Embeddings() {
    }

    /** @param source what the vectors were read from, for provenance */
    public static ModelBundle bundle(WordVectors vectors, String source, String format) {
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("source", source);
        origin.put("format", format);
        origin.put("malformed_lines", vectors.malformed());
        origin.put("repeated_words", vectors.repeated());
        return bundle(vectors, origin);
    }

    /**
     * @param origin where the vectors came from, for provenance: at least {@code source} (a file that was imported, or
     *               the method that trained them), then whatever else says how they were made
     */
    public static ModelBundle bundle(WordVectors vectors, Map<String, Object> origin) {
        if (!origin.containsKey("source")) {
            throw new IllegalArgumentException("word vectors need a source in their provenance");
        }
        float[][] table = vectors.table();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(table.length).nOut(vectors.dim()).build()).build());
        net.init();
        net.getLayer(0).setParam("W", Nd4j.create(table));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", KIND);
        p.put("created", java.time.Instant.now().toString());
        p.putAll(origin);
        p.put("words", vectors.words().size());
        p.put("dim", vectors.dim());
        p.put("unknown_word", "the mean of all vectors; padding and the begin and end markers are zeros");
        return new ModelBundle(net, null, vectors.tokenizer(), p);
    }
}
