package dev.nightjar.text;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nightjar.UserException;
import dev.nightjar.util.Json;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * A fixed vocabulary over a {@link Segmenter}, saved as {@code tokenizer.json}. Ids 0-3 are
 * reserved: padding, unknown, begin and end of a document. Encoding is a pure function of the
 * saved file, so prep, training, scoring and generation agree.
 *
 * <p>Three types: {@code char} (a token per code point), {@code word} (Unicode words, lower-cased) and
 * {@code bpe}, byte-level byte-pair encoding: {@link Segmenter#BPE} pieces, each turned into ids by the
 * tokenizer's merges ({@link BytePairEncoding}). A bpe tokenizer has no unknown text; its vocabulary
 * follows from its merges.
 */
public final class Tokenizer implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String FILE = "tokenizer.json";
    public static final int PAD = 0;
    public static final int UNK = 1;
    public static final int BOS = 2;
    public static final int EOS = 3;
    public static final List<String> SPECIALS = List.of("<pad>", "<unk>", "<bos>", "<eos>");

    private final Segmenter segmenter;
    private final List<String> vocab;
    private final List<String> merges; // bpe only
    private transient Map<String, Integer> ids;
    private transient volatile BytePairEncoding bpe;

    /** A char or word tokenizer. */
    public Tokenizer(String type, List<String> vocab) {
        this(type, vocab, null);
    }

    /**
     * @param merges a bpe tokenizer's merges in rank order, {@code "left right"} in byte symbols; null for char and word
     */
    @JsonCreator
    public Tokenizer(@JsonProperty("type") String type, @JsonProperty("vocab") List<String> vocab,
                     @JsonProperty("merges") List<String> merges) {
        if (type == null || vocab == null) {
            throw new UserException("tokenizer.json needs 'type' and 'vocab'");
        }
        this.segmenter = Segmenter.of(type);
        if (vocab.size() < SPECIALS.size() || !vocab.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new UserException("tokenizer vocabulary must start with " + SPECIALS);
        }
        if (vocab.stream().distinct().count() != vocab.size()) {
            throw new UserException("tokenizer vocabulary has duplicate entries");
        }
        this.vocab = List.copyOf(vocab);
        if (segmenter == Segmenter.BPE) {
            if (merges == null) {
                throw new UserException("a bpe tokenizer.json needs 'merges'");
            }
            BytePairEncoding b = new BytePairEncoding(merges);
            if (!b.vocab().equals(this.vocab)) {
                throw new UserException("the bpe tokenizer's vocab (" + vocab.size() + " ids) is not the one its " + merges.size()
                        + " merges make (" + b.vocab().size() + " ids): the reserved tokens, the 256 bytes, then each new merge result");
            }
            this.merges = b.merges();
            this.bpe = b;
        } else {
            if (merges != null) {
                throw new UserException("a " + type + " tokenizer has no 'merges'");
            }
            this.merges = null;
        }
    }

    /**
     * A byte-level BPE tokenizer learned from pieces of the train split ({@link Segmenter#BPE}) and their counts.
     *
     * @param vocabSize ids in all, the 4 reserved ids and the 256 bytes included; fewer when the pairs run out
     * @param minCount  the least count of a pair that is merged
     */
    public static Tokenizer trainBpe(Map<String, Long> pieceCounts, int vocabSize, long minCount) {
        if (vocabSize < SPECIALS.size() + 256) {
            throw new IllegalArgumentException("a bpe vocabulary holds the " + SPECIALS.size() + " reserved ids and 256 bytes at least, not "
                    + vocabSize);
        }
        BytePairEncoding b = new BytePairEncoding(BpeTrainer.train(pieceCounts, vocabSize, minCount));
        return new Tokenizer(Segmenter.BPE.id(), b.vocab(), b.merges());
    }

    /**
     * Builds a vocabulary from token counts: the specials, then at most {@code maxTokens} tokens
     * seen at least {@code minCount} times, by count (descending), ties by token.
     */
    public static Tokenizer fromCounts(Segmenter segmenter, Map<String, Long> counts, long minCount, int maxTokens) {
        if (segmenter == Segmenter.BPE) {
            throw new IllegalArgumentException("a bpe tokenizer is learned by trainBpe, not counted");
        }
        List<String> vocab = new ArrayList<>(SPECIALS);
        counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount && !SPECIALS.contains(e.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(maxTokens)
                .forEach(e -> vocab.add(e.getKey()));
        return new Tokenizer(segmenter.id(), vocab);
    }

    @JsonProperty("type")
    public String type() {
        return segmenter.id();
    }

    @JsonProperty("vocab")
    public List<String> vocab() {
        return vocab;
    }

    /** A bpe tokenizer's merges, in rank order; null for char and word. */
    @JsonProperty("merges")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public List<String> merges() {
        return merges;
    }

    @JsonIgnore
    public Segmenter segmenter() {
        return segmenter;
    }

    public int size() {
        return vocab.size();
    }

    /** Token ids of cleaned text, without begin or end markers; unseen tokens map to {@link #UNK}. */
    public void encode(CharSequence text, IntConsumer out) {
        if (segmenter == Segmenter.BPE) {
            BytePairEncoding b = bpe();
            segmenter.segment(text, piece -> b.encode(piece, out));
            return;
        }
        Map<String, Integer> map = ids();
        segmenter.segment(text, t -> out.accept(map.getOrDefault(t, UNK)));
    }

    public int[] encode(CharSequence text) {
        List<Integer> ids = new ArrayList<>();
        encode(text, ids::add);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Text of token ids: padding and begin markers are skipped, an end marker is a line break. For bpe, the ids'
     * bytes read as UTF-8, where bytes that make no character (such as a character still incomplete at the end of a
     * generation) read as U+FFFD ({@link BytePairEncoding#decode}).
     */
    public String decode(int... tokens) {
        if (segmenter == Segmenter.BPE) {
            return bpe().decode(tokens);
        }
        List<String> parts = new ArrayList<>();
        for (int t : tokens) {
            if (t == PAD || t == BOS) {
                continue;
            }
            parts.add(t == EOS ? "\n" : t == UNK && segmenter == Segmenter.CHAR ? "\uFFFD" : vocab.get(t));
        }
        return segmenter.join(parts);
    }

    /**
     * This tokenizer's ids unchanged, then the tokens of {@code more} (of the same type) that it lacks, in
     * {@code more}'s order: every text this one encoded encodes the same, except tokens it did not know.
     */
    public Tokenizer extendedWith(Tokenizer more) {
        if (segmenter == Segmenter.BPE) {
            throw new IllegalArgumentException("a bpe tokenizer knows every text already: it is not extended");
        }
        if (segmenter != more.segmenter) {
            throw new IllegalArgumentException("cannot extend a " + type() + " tokenizer with a " + more.type() + " one");
        }
        List<String> all = new java.util.ArrayList<>(vocab);
        java.util.Set<String> known = new java.util.HashSet<>(vocab);
        for (String t : more.vocab) {
            if (known.add(t)) {
                all.add(t);
            }
        }
        return new Tokenizer(type(), all);
    }

    /** The token of an id, as the vocabulary writes it (for bpe: its bytes as byte symbols, {@link BytePairEncoding}). */
    public String token(int id) {
        return vocab.get(id);
    }

    /**
     * For each id, the characters of the cleaned text it stands for, so that losses per character compare across
     * tokenizers: 1 per char token, and for bpe the code points whose first byte the token holds; the end marker
     * counts 1 (the char tokenizer predicts it as one token), padding and begin 0. Null for word tokenizers, whose
     * tokens leave out the spaces between them.
     */
    public int[] charsPerId() {
        if (segmenter == Segmenter.WORD) {
            return null;
        }
        if (segmenter == Segmenter.BPE) {
            return bpe().charsPerId();
        }
        int[] c = new int[vocab.size()];
        java.util.Arrays.fill(c, 1);
        c[PAD] = 0;
        c[BOS] = 0;
        return c;
    }

    private BytePairEncoding bpe() {
        BytePairEncoding b = bpe;
        if (b == null) { // after Java deserialization
            b = new BytePairEncoding(merges);
            bpe = b;
        }
        return b;
    }

    private Map<String, Integer> ids() {
        if (ids == null) {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < vocab.size(); i++) {
                m.put(vocab.get(i), i);
            }
            ids = m;
        }
        return ids;
    }

    public void save(Path dir) {
        Json.writeFile(dir.resolve(FILE), this);
    }

    public static Tokenizer load(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(FILE) : dirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new UserException("no tokenizer at " + file);
        }
        return Json.readFile(file, Tokenizer.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tokenizer t && t.segmenter == segmenter && t.vocab.equals(vocab) && Objects.equals(t.merges, merges);
    }

    @Override
    public int hashCode() {
        return (segmenter.hashCode() * 31 + vocab.hashCode()) * 31 + Objects.hashCode(merges);
    }

    @Override
    public String toString() {
        return segmenter.id() + " tokenizer, " + vocab.size() + " ids";
    }
}
