package dev.nightjar.text;

import dev.nightjar.UserException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * Samples text from a language model, one token at a time: the model reads a document start (the end marker) and
 * the cleaned prompt (a trailing space kept), then draws each next token from its softmax sharpened or flattened by
 * the temperature (0 = always the most likely token). Padding, unknown and begin markers are never drawn. How the
 * model reads one more token (carried state, a sliding window) is its family's {@link NextTokens}.
 */
public final class TextSampler {
    private final NextTokens model;
    private final Tokenizer tokenizer;

    /** @param net a recurrent language model (a layer stack with {@code rnnTimeStep}) */
    public TextSampler(dev.nightjar.model.Network net, Tokenizer tokenizer) {
        if (net.isGraph()) {
            throw new UserException("generate needs a recurrent language model (a MultiLayerNetwork); this model is a ComputationGraph");
        }
        this.model = new RecurrentNextTokens(net.multiLayer(), tokenizer.size());
        this.tokenizer = tokenizer;
    }

    public TextSampler(NextTokens model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
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
        double[] p = model.start(context);
        int[] generated = new int[length];
        for (int i = 0; i < length; i++) {
            generated[i] = draw(p, temperature, random);
            if (i + 1 < length) {
                p = model.next(generated[i]);
            }
        }
        return tokenizer.decode(generated);
    }

    /** Token ids as a network's input {@code [1, 1, steps]}, padded at the end. */
    static INDArray ids(int[] ids, int steps) {
        float[] f = new float[steps];
        for (int t = 0; t < ids.length; t++) {
            f[t] = ids[t];
        }
        for (int t = ids.length; t < steps; t++) {
            f[t] = Tokenizer.PAD;
        }
        return Nd4j.create(f, new long[] {1, 1, steps}, 'c');
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
