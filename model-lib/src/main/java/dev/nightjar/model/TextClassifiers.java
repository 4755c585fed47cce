package dev.nightjar.model;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Text classifiers whose encoder is a language model's: its embedding and LSTM layers, then
 * pooling over time that respects the feature mask (the state at the last real step, or the
 * mean or max over real steps), a dense layer and a softmax.
 *
 * <p>Built from a language-model network, whose encoder weights are copied: a pretrained one
 * (fine-tuning) or a freshly initialised one of the same shape (training from scratch), so both
 * are the same network. Layers are frozen and thawed with DL4J's transfer-learning {@code FrozenLayer}. Input: token ids {@code [batch, 1, time]} with a feature mask
 * {@code [batch, time]} (right padding); labels one-hot {@code [batch, classes]}.
 */
public final class TextClassifiers {
    private TextClassifiers() {
    }

    /** A language model of the configured encoder shape with fresh weights: the starting point of training from scratch. */
    public static MultiLayerNetwork freshEncoder(TextClassifierConfig cfg, int vocabSize, int epochs) {
        if (cfg.encoder().oneHot()) {
            throw new dev.nightjar.UserException("model.lm.input: a text classifier needs the embedding input, not one-hot");
        }
        return LanguageModels.create(cfg.encoder(), vocabSize, 1, epochs);
    }

    /** Embedding and LSTM layers of a language model (or of a classifier built from one). */
    public static int encoderLayers(MultiLayerNetwork net) {
        int n = 0;
        while (n < net.getnLayers() && isEncoderLayer(net.getLayerWiseConfigurations().getConf(n).getLayer())) {
            n++;
        }
        return n;
    }

    private static boolean isEncoderLayer(org.deeplearning4j.nn.conf.layers.Layer l) {
        if (l instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f) {
            l = f.getLayer();
        }
        return l instanceof EmbeddingSequenceLayer || l instanceof LSTM || l instanceof LastTimeStep;
    }

    /**
     * The classifier on a language model's encoder, nothing frozen. The encoder's weights are the
     * language model's, exactly; the head is initialised from the seed.
     *
     * @param lm a language model (embedding, LSTM layers, RNN output layer); it is not changed
     */
    public static MultiLayerNetwork fromLanguageModel(MultiLayerNetwork lm, TextClassifierConfig cfg, int numClasses, int epochs) {
        if (!(lm.getLayerWiseConfigurations().getConf(0).getLayer() instanceof EmbeddingSequenceLayer emb)) {
            throw new dev.nightjar.UserException("the language model's input is one-hot; a text classifier needs one with an embedding");
        }
        int encoder = encoderLayers(lm);
        if (encoder < 2 || encoder != lm.getnLayers() - 1) {
            throw new dev.nightjar.UserException("not a language model (embedding, LSTM layers, output layer): " + lm.getnLayers() + " layers");
        }
        java.util.List<Integer> lstm = new java.util.ArrayList<>();
        for (int i = 1; i < encoder; i++) {
            lstm.add((int) ((LSTM) lm.getLayerWiseConfigurations().getConf(i).getLayer()).getNOut());
        }
        MultiLayerNetwork clf = new MultiLayerNetwork(configuration(cfg, (int) emb.getNIn(), (int) emb.getNOut(), lstm, numClasses, epochs));
        clf.init();
        for (int i = 0; i < encoder; i++) {
            clf.getLayer(i).setParams(lm.getLayer(i).params().dup());
        }
        return clf;
    }

    /** The classifier's layers: embedding, LSTMs (the top one wrapped for last-step pooling), pooling, dense, softmax. */
    static MultiLayerConfiguration configuration(TextClassifierConfig cfg, int vocabSize, int embeddingSize, java.util.List<Integer> lstmSizes,
                                                 int numClasses, int epochs) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(cfg.encoder().seed())
                .updater(cfg.optimizer().updater(epochs))
                .weightInit(WeightInit.XAVIER)
                .l2(cfg.l2());
        if (cfg.encoder().gradientClip() > 0) {
            base.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                    .gradientNormalizationThreshold(cfg.encoder().gradientClip());
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        org.nd4j.linalg.learning.config.IUpdater encoder = cfg.optimizer().scaled(cfg.encoderLearningRateFactor()).updater(epochs);
        list.layer(new EmbeddingSequenceLayer.Builder().nIn(vocabSize).nOut(embeddingSize).updater(encoder).build());
        int width = embeddingSize;
        for (int i = 0; i < lstmSizes.size(); i++) {
            LSTM layer = new LSTM.Builder().nIn(width).nOut(lstmSizes.get(i)).activation(Activation.TANH).updater(encoder).build();
            boolean top = i == lstmSizes.size() - 1;
            list.layer(top && cfg.pooling().equals("last") ? new LastTimeStep(layer) : layer);
            width = lstmSizes.get(i);
        }
        if (!cfg.pooling().equals("last")) {
            list.layer(new GlobalPoolingLayer.Builder(cfg.pooling().equals("max") ? PoolingType.MAX : PoolingType.AVG)
                    .collapseDimensions(true).build());
        }
        head(list, width, cfg.denseUnits(), cfg.dropout(), numClasses);
        list.setInputType(InputType.recurrent(vocabSize));
        return list.build();
    }

    /** A text classifier's head after pooling: dropout on its input, a ReLU dense layer, a softmax over the classes. */
    static void head(NeuralNetConfiguration.ListBuilder list, int width, int denseUnits, double dropout, int classes) {
        DenseLayer.Builder dense = new DenseLayer.Builder().nIn(width).nOut(denseUnits).activation(Activation.RELU)
                .weightInit(WeightInit.RELU);
        if (dropout > 0) {
            dense.dropOut(1.0 - dropout);
        }
        list.layer(dense.build());
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(denseUnits).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
    }

    /** {@link FrozenPrefix#withFrozen}: the bottom {@code frozen} layers frozen, the unfrozen configuration the template. */
    public static MultiLayerNetwork withFrozen(MultiLayerConfiguration template, MultiLayerNetwork current, int frozen) {
        return FrozenPrefix.withFrozen(template, current, frozen);
    }

    /** Layers of the network that are frozen. */
    public static int frozenLayers(MultiLayerNetwork net) {
        return FrozenPrefix.frozenLayers(net);
    }
}
