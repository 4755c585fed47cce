package dev.nightjar.data.text;

import dev.nightjar.text.TextCleaner;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of one partition (then of the whole job, merged): documents and characters read, kept
 * and dropped by reason, and per split documents, characters, tokens and sequences. Fixed size,
 * whatever the corpus.
 */
public final class TextTally implements Serializable {
    private static final long serialVersionUID = 1L;

    long documentsRead;
    final Map<String, Long> documentsDropped = new TreeMap<>();
    long charsRead;
    long nfkcDelta;
    long controlRemoved;
    long whitespaceRemoved;
    long invalidUtf8;
    final Map<String, Long> documents = new TreeMap<>();
    final Map<String, Long> chars = new TreeMap<>();
    final Map<String, Long> tokens = new TreeMap<>();
    final Map<String, Long> sequences = new TreeMap<>();
    final Map<String, Long> tokensDroppedTail = new TreeMap<>();

    void dropped(String reason) {
        documentsRead++;
        documentsDropped.merge(reason, 1L, Long::sum);
    }

    /** A document cleaned by {@code cleaner}, kept in {@code split} when it has any text left. */
    void read(TextCleaner cleaner, long invalid, String split) {
        long written = cleaner.written();
        documentsRead++;
        charsRead += cleaner.read();
        nfkcDelta += cleaner.nfkcDelta();
        controlRemoved += cleaner.controlRemoved();
        whitespaceRemoved += cleaner.whitespaceRemoved();
        invalidUtf8 += invalid;
        if (written == 0) {
            documentsDropped.merge("empty", 1L, Long::sum);
        } else {
            documents.merge(split, 1L, Long::sum);
            chars.merge(split, written, Long::sum);
        }
    }

    public TextTally merge(TextTally o) {
        documentsRead += o.documentsRead;
        charsRead += o.charsRead;
        nfkcDelta += o.nfkcDelta;
        controlRemoved += o.controlRemoved;
        whitespaceRemoved += o.whitespaceRemoved;
        invalidUtf8 += o.invalidUtf8;
        o.documentsDropped.forEach((k, v) -> documentsDropped.merge(k, v, Long::sum));
        o.documents.forEach((k, v) -> documents.merge(k, v, Long::sum));
        o.chars.forEach((k, v) -> chars.merge(k, v, Long::sum));
        o.tokens.forEach((k, v) -> tokens.merge(k, v, Long::sum));
        o.sequences.forEach((k, v) -> sequences.merge(k, v, Long::sum));
        o.tokensDroppedTail.forEach((k, v) -> tokensDroppedTail.merge(k, v, Long::sum));
        return this;
    }

    public long documentsKept() {
        return documents.values().stream().mapToLong(Long::longValue).sum();
    }

    public long charsKept() {
        return chars.values().stream().mapToLong(Long::longValue).sum();
    }

    public long sequences(String split) {
        return sequences.getOrDefault(split, 0L);
    }

    public long tokens(String split) {
        return tokens.getOrDefault(split, 0L);
    }
}
