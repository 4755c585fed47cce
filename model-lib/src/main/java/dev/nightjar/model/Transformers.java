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
 * embeddings, pre-LayerNorm blocks and final LayerNorm as one SameDiff layer ({@link TransformerTrunk}), then a softmax over the vocabulary at every step ({@code RnnOutputLayer}, sparse
 * cross-entropy). Input and labels are those of the one-hot LSTM language model: one-hot {@code [batch, vocab, time]}, so the
 * trainer, {@code evaluate} and bits per character are the same. Parameters are ordinary DL4J parameters, so parameter
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
        list.layer(new TransformerTrunk(vocabSize, width, cfg.heads(), width * cfg.mlpRatio(), cfg.layers(), context));
        list.layer(new RnnOutputLayer.Builder(new LossSparseMCXENT()).nIn(width).nOut(vocabSize).activation(Activation.SOFTMAX).build());
        // one-hot input [batch, vocab, time] (the family's InputEncoding asks the loaders for it)
        list.setInputType(InputType.recurrent(vocabSize, context));
        return list.build();
    }

    public static MultiLayerNetwork create(TransformerConfig cfg, int vocabSize, int context) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(cfg, vocabSize, context));
        net.init();
        return net;
    }

    /** One-hot tokens {@code [batch, vocab, time]} from ids {@code [batch, 1, time]} (or [batch, time]). */
    public static org.nd4j.linalg.api.ndarray.INDArray oneHot(org.nd4j.linalg.api.ndarray.INDArray ids, int vocab) {
        long batch = ids.size(0);
        long steps = ids.size(ids.rank() - 1);
        float[] flat = ids.dup('c').data().asFloat();
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.zeros(ids.dataType(), batch, vocab, steps);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                x.putScalar(new long[] {b, (long) flat[(int) (b * steps + t)], t}, 1.0);
            }
        }
        return x;
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
