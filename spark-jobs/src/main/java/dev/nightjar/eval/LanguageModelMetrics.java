package dev.nightjar.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code metrics.json} of a language model on one split: nats and bits per token, perplexity (per token),
 * and bits per character: the total loss in bits over the characters of the cleaned text the tokens stand
 * for, so that it compares across tokenizers (char and bpe; a word tokenizer has none, its tokens leave out
 * the spaces). For a char tokenizer it equals bits per token.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LanguageModelMetrics(String split, long tokens, double natsPerToken, double bitsPerToken, Double bitsPerChar,
                                   double perplexity) {

    /** @param loss summed over the split; its characters (0 = none counted) give bits per character */
    public static LanguageModelMetrics of(String split, TokenLoss loss) {
        double nats = loss.nats() / Math.max(1, loss.tokens());
        double bits = nats / Math.log(2);
        Double bitsPerChar = loss.chars() > 0 ? loss.nats() / loss.chars() / Math.log(2) : null;
        return new LanguageModelMetrics(split, loss.tokens(), nats, bits, bitsPerChar, Math.exp(nats));
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
