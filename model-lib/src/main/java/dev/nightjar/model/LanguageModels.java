package dev.nightjar.model;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * Character-level (char-rnn style) LSTM language models: an embedding or one-hot input, stacked
 * {@code LSTM} layers (not GravesLSTM, so cuDNN can serve them on GPUs) and a softmax over the
 * vocabulary at every step, trained with truncated BPTT.
 *
 * <p>Input: token ids {@code [batch, 1, time]} (embedding) or one-hot {@code [batch, vocab, time]}.
 * Labels: the next token ids {@code [batch, 1, time]} (sparse cross-entropy, so a large word
 * vocabulary needs no one-hot labels).
 */
public final class LanguageModels {
    private LanguageModels() {
    }

    public static MultiLayerConfiguration configuration(LanguageModelConfig cfg, int vocabSize, int seqLen, int epochs) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .updater(cfg.optimizer().updater(epochs))
                .weightInit(cfg.weightInit().equals("relu") ? WeightInit.RELU : WeightInit.XAVIER)
                .l2(cfg.l2());
        if (cfg.gradientClip() > 0) {
            base.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                    .gradientNormalizationThreshold(cfg.gradientClip());
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        int width = vocabSize;
        if (!cfg.oneHot()) {
            list.layer(new EmbeddingSequenceLayer.Builder().nIn(vocabSize).nOut(cfg.embeddingSize()).build());
            width = cfg.embeddingSize();
        }
        for (int i = 0; i < cfg.lstmSizes().size(); i++) {
            LSTM.Builder lstm = new LSTM.Builder().nIn(width).nOut(cfg.lstmSizes().get(i)).activation(Activation.TANH);
            if (i > 0 && cfg.dropout() > 0) {
                lstm.dropOut(1.0 - cfg.dropout());
            }
            list.layer(lstm.build());
            width = cfg.lstmSizes().get(i);
        }
        list.layer(new RnnOutputLayer.Builder(new LossSparseMCXENT()).nIn(width).nOut(vocabSize)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        // the input type only tells the embedding its vocabulary; its input really is [batch, 1, time] ids
        list.setInputType(InputType.recurrent(vocabSize, seqLen));
        int window = tbpttWindow(cfg, seqLen);
        if (window < seqLen) {
            list.backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(window).tBPTTBackwardLength(window);
        }
        return list.build();
    }

    public static MultiLayerNetwork create(LanguageModelConfig cfg, int vocabSize, int seqLen, int epochs) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(cfg, vocabSize, seqLen, epochs));
        net.init();
        return net;
    }

    /** Whether the model reads one-hot vectors (else token ids through an embedding). */
    public static boolean oneHotInput(MultiLayerNetwork net) {
        return !(net.getLayer(0).conf().getLayer() instanceof EmbeddingSequenceLayer);
    }

    /** The truncated-BPTT window: the configured length, or the whole sequence. */
    public static int tbpttWindow(LanguageModelConfig cfg, int seqLen) {
        return cfg.tbpttLength() == 0 ? seqLen : Math.min(cfg.tbpttLength(), seqLen);
    }

    /**
     * Time steps behind DL4J's training score of one minibatch. The score is summed over time
     * steps (docs/stack.md); under truncated BPTT it is the score of the last window.
     */
    public static int stepsPerTrainingScore(LanguageModelConfig cfg, int seqLen) {
        int window = tbpttWindow(cfg, seqLen);
        int rest = seqLen % window;
        return rest == 0 ? window : rest;
    }

    /**
     * Summed negative log-likelihood, in nats, of the target ids under the softmax output:
     * {@code output [batch, vocab, time]}, {@code targets [batch, 1, time]} (or [batch, time]).
     * Steps whose target is padding are skipped. Returns {nats, counted steps}.
     */
    public static double[] negLogLikelihood(INDArray output, INDArray targets) {
        long n = output.size(0);
        long v = output.size(1);
        long t = output.size(2);
        float[] p = output.dup('c').data().asFloat();
        float[] y = targets.dup('c').data().asFloat();
        double nats = 0;
        long steps = 0;
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < t; s++) {
                int target = (int) y[(int) (b * t + s)];
                if (target == dev.nightjar.text.Tokenizer.PAD) {
                    continue;
                }
                nats -= Math.log(Math.max(p[(int) ((b * v + target) * t + s)], 1e-30f));
                steps++;
            }
        }
        return new double[] {nats, steps};
    }
}
