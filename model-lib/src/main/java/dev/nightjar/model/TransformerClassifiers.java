package dev.nightjar.model;

import dev.nightjar.UserException;
import dev.nightjar.model.transformer.TransformerTrunk;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Text classifiers on a Transformer language model's trunk: the trunk (its token and position embeddings, blocks and
 * final LayerNorm), pooling over the real tokens (mean or max), a dense layer and a softmax. The trunk's weights are a pretrained model's, copied exactly, or
 * fresh ones of the configured shape. Input: token ids {@code [batch, 1, time]} with a feature mask (right padding), as
 * every text classifier reads them; the trunk reads a document longer than its context as consecutive windows of it.
 */
public final class TransformerClassifiers {
    private TransformerClassifiers() {
    }

    /** The trunk of a Transformer language model (or of a classifier built on one). */
    public static TransformerTrunk trunk(MultiLayerNetwork net) {
        Layer first = net.getLayerWiseConfigurations().getConf(0).getLayer();
        if (first instanceof TransformerTrunk t) {
            return t;
        }
        throw new UserException("not a Transformer model: its first layer is a " + first.getClass().getSimpleName());
    }

    /**
     * The classifier on {@code lm}'s trunk, its weights copied exactly, as much of it trainable as {@code cfg.finetune()}
     * says; the head is initialised from the seed.
     */
    public static MultiLayerNetwork fromLanguageModel(MultiLayerNetwork lm, TransformerClassifierConfig cfg, int classes, int epochs,
                                                      double gradientClip) {
        TransformerTrunk pretrained = trunk(lm);
        MultiLayerNetwork clf = create(pretrained.forClassifier(cfg.trainableBlocks(pretrained.layers())), cfg, classes, epochs,
                gradientClip);
        clf.getLayer(0).setParams(lm.getLayer(0).params().dup());
        return clf;
    }

    /** The classifier on a trunk of {@code trunk}'s shape and trainable blocks, with fresh weights. */
    public static MultiLayerNetwork create(TransformerTrunk trunk, TransformerClassifierConfig cfg, int classes, int epochs,
                                           double gradientClip) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(trunk, cfg, classes, epochs, gradientClip));
        net.init();
        return net;
    }

    static MultiLayerConfiguration configuration(TransformerTrunk trunk, TransformerClassifierConfig cfg, int classes, int epochs,
                                                 double gradientClip) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .updater(cfg.optimizer().updater(epochs))
                .weightInit(WeightInit.XAVIER)
                .l2(cfg.l2());
        if (gradientClip > 0) {
            base.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue).gradientNormalizationThreshold(gradientClip);
        }
        trunk = trunk.forClassifier(trunk.trainableBlocks()); // a copy that reads long documents in windows, with its own rate
        IUpdater encoder = cfg.optimizer().scaled(cfg.encoderLearningRateFactor()).updater(epochs);
        trunk.setUpdater(encoder);
        trunk.setBiasUpdater(encoder);
        NeuralNetConfiguration.ListBuilder list = base.list();
        list.layer(trunk);
        list.layer(new GlobalPoolingLayer.Builder(cfg.pooling().equals("max") ? PoolingType.MAX : PoolingType.AVG)
                .collapseDimensions(true).build());
        TextClassifiers.head(list, trunk.width(), cfg.denseUnits(), cfg.dropout(), classes);
        list.setInputType(InputType.recurrent(1));
        return list.build();
    }
}
