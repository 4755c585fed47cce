package dev.nightjar.text;

import dev.nightjar.UserException;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pretrained word vectors read from the usual formats: GloVe text ({@code word v1 ... vd} a line),
 * word2vec text (the same after a {@code count dim} header line) and word2vec binary (that header,
 * then each word, a space, and {@code dim} little-endian float32s). The first {@code maxWords} distinct
 * words are kept (the files list words by frequency), and after them any word of an {@code alsoKeep} set (the
 * words of the user's corpus, so that a rare word the corpus uses still gets its vector); a line that does not hold exactly {@code dim}
 * numbers is counted as malformed and skipped, and a repeated word keeps its first vector.
 *
 * @param words     the words, in file order
 * @param vectors   one row of {@code dim} values per word
 * @param malformed lines skipped because they did not parse
 * @param repeated  words seen again after their first vector
 */
public record WordVectors(List<String> words, float[][] vectors, int dim, long malformed, long repeated) {
    public static final List<String> FORMATS = List.of("glove", "word2vec", "word2vec-binary");

    /**
     * @param format   glove | word2vec | word2vec-binary
     * @param source   names the input in errors
     * @param maxWords at most this many words (0 = all)
     */
    public static WordVectors read(InputStream in, String format, String source, int maxWords) throws IOException {
        return read(in, format, source, maxWords, Set.of());
    }

    /**
     * @param alsoKeep words kept beyond the first {@code maxWords} too (the whole file is then read)
     */
    public static WordVectors read(InputStream in, String format, String source, int maxWords, Set<String> alsoKeep) throws IOException {
        Builder b = new Builder(maxWords, alsoKeep);
        return switch (format) {
            case "glove" -> text(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), false, source, b);
            case "word2vec" -> text(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), true, source, b);
            case "word2vec-binary" -> binary(new DataInputStream(in), source, b);
            default -> throw new UserException("vector format must be one of " + String.join("|", FORMATS) + ", got '" + format + "'");
        };
    }

    private static WordVectors text(BufferedReader r, boolean header, String source, Builder b) throws IOException {
        int dim = header ? header(r.readLine(), source)[1] : -1;
        for (String line; (line = r.readLine()) != null && !b.full(); ) {
            String[] parts = line.strip().split(" ");
            if (dim < 0 && parts.length > 1) {
                dim = parts.length - 1; // GloVe: the first line fixes the dimension
            }
            if (b.wanted(parts[0])) {
                b.add(parts[0], parts.length == dim + 1 ? floats(parts) : null);
            }
        }
        return b.build(Math.max(dim, 0), source);
    }

    private static float[] floats(String[] parts) {
        float[] v = new float[parts.length - 1];
        try {
            for (int i = 1; i < parts.length; i++) {
                v[i - 1] = Float.parseFloat(parts[i]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return v;
    }

    private static int[] header(String line, String source) {
        String[] h = line == null ? new String[0] : line.strip().split("\\s+");
        try {
            if (h.length == 2) {
                return new int[] {Integer.parseInt(h[0]), Integer.parseInt(h[1])};
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UserException(source + " is not in word2vec format: its first line must be 'count dim', got: " + line);
    }

    private static WordVectors binary(DataInputStream in, String source, Builder b) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new UserException(source + " ends inside its word2vec header");
            }
            line.append((char) c);
        }
        int[] h = header(line.toString(), source);
        byte[] raw = new byte[4 * h[1]];
        for (int i = 0; i < h[0] && !b.full(); i++) {
            String word = binaryWord(in, source);
            in.readFully(raw);
            if (b.wanted(word)) {
                float[] v = new float[h[1]];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                b.add(word, v);
            }
        }
        return b.build(h[1], source);
    }

    /** A word up to its space; the newline some writers put after the previous vector is skipped. */
    private static String binaryWord(DataInputStream in, String source) throws IOException {
        java.io.ByteArrayOutputStream w = new java.io.ByteArrayOutputStream();
        for (int c; (c = in.read()) != ' '; ) {
            if (c < 0) {
                throw new UserException(source + " is truncated: it ends inside a word");
            }
            if (c != '\n') {
                w.write(c);
            }
        }
        return w.toString(StandardCharsets.UTF_8);
    }

    /** A word tokenizer for these words: the specials, then the words in file order (those the specials shadow left out). */
    public Tokenizer tokenizer() {
        List<String> vocab = new ArrayList<>(Tokenizer.SPECIALS);
        words.stream().filter(w -> !Tokenizer.SPECIALS.contains(w)).forEach(vocab::add);
        return new Tokenizer(Segmenter.WORD.id(), vocab);
    }

    /**
     * The embedding table for {@link #tokenizer()}: one row per id. Padding and the begin and end
     * markers are zeros; an unknown word gets the mean of all vectors.
     */
    public float[][] table() {
        List<float[]> rows = new ArrayList<>();
        float[] mean = new float[dim];
        for (int i = 0; i < words.size(); i++) {
            for (int d = 0; d < dim; d++) {
                mean[d] += vectors[i][d] / words.size();
            }
            if (!Tokenizer.SPECIALS.contains(words.get(i))) {
                rows.add(vectors[i]);
            }
        }
        float[][] table = new float[Tokenizer.SPECIALS.size() + rows.size()][];
        for (int i = 0; i < Tokenizer.SPECIALS.size(); i++) {
            table[i] = i == Tokenizer.UNK ? mean : new float[dim];
        }
        for (int i = 0; i < rows.size(); i++) {
            table[Tokenizer.SPECIALS.size() + i] = rows.get(i);
        }
        return table;
    }

    private static final class Builder {
        private final int max;
        private final Set<String> alsoKeep;
        private final Set<String> seen = new LinkedHashSet<>();
        private final List<float[]> rows = new ArrayList<>();
        private long malformed;
        private long repeated;

        Builder(int max, Set<String> alsoKeep) {
            this.max = max;
            this.alsoKeep = alsoKeep;
        }

        /** No word can be kept any more: the first max are in and no other word is wanted. */
        boolean full() {
            return max > 0 && seen.size() >= max && alsoKeep.isEmpty();
        }

        /** Whether this line's word is read: while fewer than max are kept, or an alsoKeep word not kept yet. */
        boolean wanted(String word) {
            return max <= 0 || seen.size() < max || alsoKeep.contains(word) && !seen.contains(word);
        }

        void add(String word, float[] v) {
            if (v == null || word.isEmpty()) {
                malformed++;
            } else if (!seen.add(word)) {
                repeated++;
            } else {
                rows.add(v);
            }
        }

        WordVectors build(int dim, String source) {
            if (rows.isEmpty()) {
                throw new UserException(source + " holds no word vectors (" + malformed + " malformed lines)");
            }
            return new WordVectors(List.copyOf(seen), rows.toArray(new float[0][]), dim, malformed, repeated);
        }
    }
}
