package dev.nightjar.text;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
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
import java.util.function.IntConsumer;

/**
 * A fixed vocabulary over a {@link Segmenter}, saved as {@code tokenizer.json}. Ids 0-3 are
 * reserved: padding, unknown, begin and end of a document. Encoding is a pure function of the
 * saved file, so prep, training, scoring and generation agree.
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
    private transient Map<String, Integer> ids;

    @JsonCreator
    public Tokenizer(@JsonProperty("type") String type, @JsonProperty("vocab") List<String> vocab) {
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
    }

    /**
     * Builds a vocabulary from token counts: the specials, then at most {@code maxTokens} tokens
     * seen at least {@code minCount} times, by count (descending), ties by token.
     */
    public static Tokenizer fromCounts(Segmenter segmenter, Map<String, Long> counts, long minCount, int maxTokens) {
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

    @JsonIgnore
    public Segmenter segmenter() {
        return segmenter;
    }

    public int size() {
        return vocab.size();
    }

    /** Token ids of cleaned text, without begin or end markers; unseen tokens map to {@link #UNK}. */
    public void encode(CharSequence text, IntConsumer out) {
        Map<String, Integer> map = ids();
        segmenter.segment(text, t -> out.accept(map.getOrDefault(t, UNK)));
    }

    public int[] encode(CharSequence text) {
        List<Integer> ids = new ArrayList<>();
        encode(text, ids::add);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Text of token ids: padding and begin markers are skipped, an end marker is a line break. */
    public String decode(int... tokens) {
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

    public String token(int id) {
        return vocab.get(id);
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
        return o instanceof Tokenizer t && t.segmenter == segmenter && t.vocab.equals(vocab);
    }

    @Override
    public int hashCode() {
        return segmenter.hashCode() * 31 + vocab.hashCode();
    }

    @Override
    public String toString() {
        return segmenter.id() + " tokenizer, " + vocab.size() + " ids";
    }
}
