package dev.nightjar.model;

import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;

/**
 * The token embedding of the graph families ({@link TextCnns}, {@link TextBiLstms}): ids {@code [n, 1, T]} to
 * {@code [n, size, T]}, padding zeroed by the mask.
 */
final class EmbeddingLayers {
    private EmbeddingLayers() {
    }

    /**
     * @param frozen keep the table as it starts. DL4J's {@code FrozenLayer} gives it no gradient and no L2; a
     *               {@code NoOp} updater would not do: it applies the raw gradient (SGD at rate 1) and the L2 decay
     */
    static Layer of(int vocabSize, int size, boolean frozen) {
        EmbeddingSequenceLayer embedding = new EmbeddingSequenceLayer.Builder().nIn(vocabSize).nOut(size).build();
        return frozen ? new FrozenLayer(embedding) : embedding;
    }
}
