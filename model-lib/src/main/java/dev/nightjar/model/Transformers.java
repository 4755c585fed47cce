package dev.nightjar.model;

import dev.nightjar.model.transformer.TransformerTrunk;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * GPT-style causal Transformer language models as a DL4J {@link MultiLayerNetwork}: the token and position
 * embeddings, pre-LayerNorm blocks and final LayerNorm as one layer ({@link TransformerTrunk}), then a softmax over the
 * vocabulary at every step ({@code RnnOutputLayer}, sparse cross-entropy). Input and labels are those of the LSTM
 * language model with an embedding: token ids {@code [batch, 1, time]}, so the trainer, {@code evaluate} and bits per character are the same. Parameters are ordinary DL4J parameters, so parameter
 * averaging, checkpoints and bundles treat it like any layer stack.
 */
public final class Transformers {
    private Transformers() {
    }

    /** @param context positions the model reads (at least the dataset's sequence length) */
    public static MultiLayerConfiguration configuration(TransformerConfig cfg, int vocabSize, int context) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .updater(cfg.updater())
                .weightInit(new NormalDistribution(0, 0.02))
                .l2(cfg.l2());
        if (cfg.gradientClip() > 0) {
            base.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                    .gradientNormalizationThreshold(cfg.gradientClip());
        }
        int width = cfg.width();
        NeuralNetConfiguration.ListBuilder list = base.list();
        list.layer(new TransformerTrunk(vocabSize, width, cfg.heads(), width * cfg.mlpRatio(), cfg.layers(), context, cfg.dropout()));
        list.layer(new RnnOutputLayer.Builder(new LossSparseMCXENT()).nIn(width).nOut(vocabSize).activation(Activation.SOFTMAX).build());
        // token ids [batch, 1, time], as the loaders give them
        list.setInputType(InputType.recurrent(1, context));
        return list.build();
    }

    public static MultiLayerNetwork create(TransformerConfig cfg, int vocabSize, int context) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(cfg, vocabSize, context));
        net.init();
        return net;
    }


    /** The positions a Transformer language model reads: the window generation slides. */
    public static int context(MultiLayerNetwork net) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayerWiseConfigurations().getConf(i).getLayer() instanceof TransformerTrunk p) {
                return p.context();
            }
        }
        throw new IllegalArgumentException("not a Transformer language model: no position embedding");
    }
}
