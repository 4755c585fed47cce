package dev.nightjar.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The word-level BiLSTM classifier as a {@link ComputationGraph}: input {@code tokens} (ids
 * {@code [n, 1, T]} with a mask {@code [n, T]}, as the classification dataset's loader gives them),
 * {@code embedding}, {@code lstm-forward}; {@code reverse}, {@code lstm-backward}, {@code unreverse};
 * {@code bilstm} (both directions' states concatenated), {@code pool-mean} and {@code pool-max} (over the
 * unmasked steps), {@code merge}, {@code output}. Seed, updater, weight init, embedding and output
 * dropout are the {@link TextCnns}'.
 *
 * <p>The backward direction reverses each document's unmasked steps only ({@code ReverseTimeSeriesVertex}
 * with the input's mask), so padding stays at the end in both directions and never reaches a real step.
 * DL4J's {@code Bidirectional} wrapper does not do that here: it reverses the whole padded series, and in a
 * {@code ComputationGraph} (1.0.0-M2) its LSTMs never see the mask ({@code LSTM.feedForwardMaskArray}
 * passes it on without keeping it), so the backward LSTM would run over the padding first and carry its
 * state into the document.
 */
public final class TextBiLstms {
    public static final String INPUT = TextCnns.INPUT;
    public static final String EMBEDDING = TextCnns.EMBEDDING;
    public static final String FORWARD = "lstm-forward";
    public static final String BACKWARD = "lstm-backward";
    public static final String OUTPUT = TextCnns.OUTPUT;

    private TextBiLstms() {
    }

    public static ComputationGraphConfiguration configuration(TextBiLstmConfig cfg, int vocabSize, int numClasses, int epochs) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .updater(cfg.optimizer().updater(epochs))
                .weightInit(WeightInit.XAVIER)
                .l2(cfg.l2())
                .graphBuilder()
                .addInputs(INPUT);
        g.addLayer(EMBEDDING, EmbeddingLayers.of(vocabSize, cfg.embeddingSize(), cfg.freezeEmbedding()), INPUT);
        g.addLayer(FORWARD, lstm(cfg), EMBEDDING);
        g.addVertex("reverse", new ReverseTimeSeriesVertex(INPUT), EMBEDDING);
        g.addLayer(BACKWARD, lstm(cfg), "reverse");
        g.addVertex("unreverse", new ReverseTimeSeriesVertex(INPUT), BACKWARD);
        g.addVertex("bilstm", new MergeVertex(), FORWARD, "unreverse");
        g.addLayer("pool-mean", new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(true).build(), "bilstm");
        g.addLayer("pool-max", new GlobalPoolingLayer.Builder(PoolingType.MAX).collapseDimensions(true).build(), "bilstm");
        g.addVertex("merge", new MergeVertex(), "pool-mean", "pool-max");
        OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(4L * cfg.lstmSize()).nOut(numClasses).activation(Activation.SOFTMAX);
        if (cfg.dropout() > 0) {
            out.dropOut(1.0 - cfg.dropout());
        }
        g.addLayer(OUTPUT, out.build(), "merge");
        return g.setOutputs(OUTPUT).build();
    }

    private static LSTM lstm(TextBiLstmConfig cfg) {
        return new LSTM.Builder().nIn(cfg.embeddingSize()).nOut(cfg.lstmSize()).activation(Activation.TANH).build();
    }

    public static ComputationGraph create(TextBiLstmConfig cfg, int vocabSize, int numClasses, int epochs) {
        ComputationGraph net = new ComputationGraph(configuration(cfg, vocabSize, numClasses, epochs));
        net.init();
        return net;
    }
}
