package dev.nightjar.text;

/**
 * A language model read one token at a time, as {@link TextSampler} drives it: the probabilities of the next token
 * after a context, then after each token appended. A recurrent model carries its state; a Transformer re-reads its
 * window. Made by the model's family ({@code ModelFamily.nextTokens}).
 */
public interface NextTokens {
    /** Forgets what was read, reads {@code context} (not empty) and returns the next token's probabilities over the vocabulary. */
    double[] start(int[] context);

    /** Appends one token and returns the next token's probabilities. */
    double[] next(int token);
}
