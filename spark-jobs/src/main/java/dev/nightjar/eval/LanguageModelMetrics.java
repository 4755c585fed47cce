package dev.nightjar.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code metrics.json} of a language model on one split: nats and bits per token, bits per
 * character when the tokenizer is char-level, and perplexity (per token).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LanguageModelMetrics(String split, long tokens, double natsPerToken, double bitsPerToken, Double bitsPerChar,
                                   double perplexity) {

    public static LanguageModelMetrics of(String split, TokenLoss loss, boolean charTokenizer) {
        double nats = loss.nats() / Math.max(1, loss.tokens());
        double bits = nats / Math.log(2);
        return new LanguageModelMetrics(split, loss.tokens(), nats, bits, charTokenizer ? bits : null, Math.exp(nats));
    }

    /** For metrics.jsonl and the report: bits per token first. */
    public Map<String, Double> summary() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("bits_per_token", bitsPerToken);
        m.put("nats_per_token", natsPerToken);
        m.put("perplexity", perplexity);
        return m;
    }

    public String table() {
        return String.format(Locale.ROOT, "split %s: %,d tokens%n  nats/token  %.4f%n  bits/token  %.4f%n  perplexity  %.3f%n",
                split, tokens, natsPerToken, bitsPerToken, perplexity);
    }
}
