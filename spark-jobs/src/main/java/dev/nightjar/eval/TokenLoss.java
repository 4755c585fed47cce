package dev.nightjar.eval;

import org.apache.spark.api.java.function.Function2;

import java.io.Serializable;

/** Summed negative log-likelihood (nats) over counted tokens: the sufficient statistic of LM metrics. */
public record TokenLoss(double nats, long tokens) implements Serializable {

    /** Adds two partitions' sums. */
    public static final class Merge implements Function2<TokenLoss, TokenLoss, TokenLoss> {
        private static final long serialVersionUID = 1L;

        @Override
        public TokenLoss call(TokenLoss a, TokenLoss b) {
            return new TokenLoss(a.nats() + b.nats(), a.tokens() + b.tokens());
        }
    }
}
