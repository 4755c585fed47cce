package dev.nightjar.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * The text CNN as a {@link ComputationGraph}: input {@code tokens} (ids {@code [n, 1, T]} with a
 * mask {@code [n, T]}, as the classification dataset's loader gives them), {@code embedding}, one
 * {@code conv-W} and {@code pool-W} branch per filter width (max over unmasked steps),
 * {@code merge}, {@code output}.
 */
public final class TextCnns {
    public static final String INPUT = "tokens";
    public static final String EMBEDDING = "embedding";
    public static final String OUTPUT = "output";

    private TextCnns() {
    }

    public static ComputationGraphConfiguration configuration(TextCnnConfig cfg, int vocabSize, int numClasses, int epochs) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .updater(cfg.optimizer().updater(epochs))
                .weightInit(WeightInit.XAVIER)
                .l2(cfg.l2())
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT);
        g.addLayer(EMBEDDING, EmbeddingLayers.of(vocabSize, cfg.embeddingSize(), cfg.freezeEmbedding()), INPUT);
        List<String> pools = new ArrayList<>();
        for (int w : cfg.filterWidths()) {
            g.addLayer("conv-" + w, new Convolution1DLayer.Builder().kernelSize(w).nIn(cfg.embeddingSize()).nOut(cfg.filters())
                    .activation(Activation.RELU).weightInit(WeightInit.RELU).build(), EMBEDDING);
            g.addLayer("pool-" + w, new GlobalPoolingLayer.Builder(PoolingType.MAX).collapseDimensions(true).build(), "conv-" + w);
            pools.add("pool-" + w);
        }
        String features = pools.get(0);
        if (pools.size() > 1) {
            g.addVertex("merge", new MergeVertex(), pools.toArray(new String[0]));
            features = "merge";
        }
        OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn((long) cfg.filters() * pools.size()).nOut(numClasses).activation(Activation.SOFTMAX);
        if (cfg.dropout() > 0) {
            out.dropOut(1.0 - cfg.dropout());
        }
        g.addLayer(OUTPUT, out.build(), features);
        return g.setOutputs(OUTPUT).build();
    }

    public static ComputationGraph create(TextCnnConfig cfg, int vocabSize, int numClasses, int epochs) {
        ComputationGraph net = new ComputationGraph(configuration(cfg, vocabSize, numClasses, epochs));
        net.init();
        return net;
    }
}
