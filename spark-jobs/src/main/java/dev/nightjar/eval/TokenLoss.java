package dev.nightjar.eval;

import org.apache.spark.api.java.function.Function2;

import java.io.Serializable;

/**
 * Summed negative log-likelihood (nats) over counted tokens, and the characters of the cleaned text those
 * tokens stand for ({@link dev.nightjar.text.Tokenizer#charsPerId}; 0 when the tokenizer counts none, as a
 * word tokenizer): the sufficient statistic of LM metrics.
 */
public record TokenLoss(double nats, long tokens, long chars) implements Serializable {

    /** A loss with no characters counted. */
    public TokenLoss(double nats, long tokens) {
        this(nats, tokens, 0);
    }

    /** Adds two partitions' sums. */
    public static final class Merge implements Function2<TokenLoss, TokenLoss, TokenLoss> {
        private static final long serialVersionUID = 1L;

        @Override
        public TokenLoss call(TokenLoss a, TokenLoss b) {
            return new TokenLoss(a.nats() + b.nats(), a.tokens() + b.tokens(), a.chars() + b.chars());
        }
    }
}
