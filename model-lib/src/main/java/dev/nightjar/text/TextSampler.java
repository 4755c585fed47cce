package dev.nightjar.text;

import dev.nightjar.UserException;
import dev.nightjar.model.LanguageModels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

/**
 * Samples text from a language model, one token at a time with the LSTM state carried along:
 * the model reads a document start (the end marker) and the cleaned prompt (a trailing space
 * kept), then draws each
 * next token from its softmax sharpened or flattened by the temperature (0 = always the most
 * likely token). Padding, unknown and begin markers are never drawn.
 */
public final class TextSampler {
    private final MultiLayerNetwork net;
    private final Tokenizer tokenizer;
    private final boolean oneHot;

    /** @param net a recurrent language model (a layer stack with {@code rnnTimeStep}) */
    public TextSampler(dev.nightjar.model.Network net, Tokenizer tokenizer) {
        if (net.isGraph()) {
            throw new UserException("generate needs a recurrent language model (a MultiLayerNetwork); this model is a ComputationGraph");
        }
        this.net = net.multiLayer();
        this.tokenizer = tokenizer;
        this.oneHot = LanguageModels.oneHotInput(this.net);
    }

    /** @return the generated text only (the prompt is not repeated) */
    public String sample(String prompt, int length, double temperature, long seed) {
        if (length < 0 || temperature < 0) {
            throw new UserException("length and temperature must be >= 0 (got " + length + ", " + temperature + ")");
        }
        String cleaned = TextCleaner.clean(prompt);
        if (!cleaned.isEmpty() && Character.isWhitespace(prompt.charAt(prompt.length() - 1))) {
            cleaned += " "; // a prompt ending in a space asks for a new word: keep it
        }
        int[] promptIds = tokenizer.encode(cleaned);
        int[] context = new int[promptIds.length + 1];
        context[0] = Tokenizer.EOS;
        System.arraycopy(promptIds, 0, context, 1, promptIds.length);
        Random random = new Random(seed);
        net.rnnClearPreviousState();
        INDArray out = net.rnnTimeStep(input(context));
        int[] generated = new int[length];
        for (int i = 0; i < length; i++) {
            long steps = out.size(2);
            INDArray last = out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(steps - 1));
            generated[i] = draw(last.toDoubleVector(), temperature, random);
            out = net.rnnTimeStep(input(new int[] {generated[i]}));
        }
        net.rnnClearPreviousState();
        return tokenizer.decode(generated);
    }

    private INDArray input(int[] ids) {
        if (oneHot) {
            INDArray x = Nd4j.zeros(1, tokenizer.size(), ids.length);
            for (int t = 0; t < ids.length; t++) {
                x.putScalar(new long[] {0, ids[t], t}, 1.0);
            }
            return x;
        }
        float[] f = new float[ids.length];
        for (int t = 0; t < ids.length; t++) {
            f[t] = ids[t];
        }
        return Nd4j.create(f, new long[] {1, 1, ids.length}, 'c');
    }

    /** Draws an id from the softmax output p, raised to 1/temperature and renormalised. */
    static int draw(double[] p, double temperature, Random random) {
        double[] w = new double[p.length];
        double total = 0;
        int best = Tokenizer.EOS;
        for (int i = Tokenizer.EOS; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        if (temperature == 0) {
            return best;
        }
        for (int i = Tokenizer.EOS; i < p.length; i++) {
            // in log space, relative to the best, so small temperatures do not underflow
            w[i] = Math.exp((Math.log(Math.max(p[i], 1e-30)) - Math.log(Math.max(p[best], 1e-30))) / temperature);
            total += w[i];
        }
        double u = random.nextDouble() * total;
        for (int i = Tokenizer.EOS; i < p.length; i++) {
            u -= w[i];
            if (u <= 0) {
                return i;
            }
        }
        return best;
    }
}
