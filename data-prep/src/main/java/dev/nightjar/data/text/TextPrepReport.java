package dev.nightjar.data.text;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code prep-report.json} of a text dataset. Characters obey
 * {@code read + nfkc_delta - dropped(control) - dropped(whitespace) = kept}; invalid UTF-8
 * sequences are replaced by U+FFFD (one character each), not dropped, and counted in every format
 * (for csv and jsonl over the whole input, headers and other columns included).
 */
public record TextPrepReport(List<String> inputs, Documents documents, Characters characters,
                             long invalidUtf8Replaced, Map<String, Split> splits,
                             @JsonInclude(JsonInclude.Include.NON_NULL) TextPrep.BpeTraining tokenizerTraining) {

    public record Documents(long read, long kept, long dropped, Map<String, Long> droppedByReason) {
    }

    public record Characters(long read, long nfkcDelta, long kept, Map<String, Long> droppedByReason) {
    }

    /** @param tokens tokens in stored sequences; tokensDroppedTail: the end of each partition's stream shorter than one sequence */
    public record Split(long documents, long characters, long sequences, long tokens, long tokensDroppedTail) {
    }

    /** @param training what a new bpe tokenizer learned from; null otherwise (the key is then left out) */
    static TextPrepReport of(List<String> inputs, TextTally t, TextPrep.BpeTraining training) {
        long dropped = t.documentsDropped.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> charsDropped = new LinkedHashMap<>();
        charsDropped.put("control", t.controlRemoved);
        charsDropped.put("whitespace", t.whitespaceRemoved);
        Map<String, Split> splits = new LinkedHashMap<>();
        for (String s : t.documents.keySet()) {
            splits.put(s, new Split(t.documents.get(s), t.chars.getOrDefault(s, 0L), t.sequences(s), t.tokens(s),
                    t.tokensDroppedTail.getOrDefault(s, 0L)));
        }
        return new TextPrepReport(inputs, new Documents(t.documentsRead, t.documentsKept(), dropped, Map.copyOf(t.documentsDropped)),
                new Characters(t.charsRead, t.nfkcDelta, t.charsKept(), charsDropped), t.invalidUtf8, splits, training);
    }
}
