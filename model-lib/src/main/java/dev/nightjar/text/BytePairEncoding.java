package dev.nightjar.text;

import dev.nightjar.UserException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Byte-level BPE (GPT-2's): the merges of a {@code bpe} {@link Tokenizer}, applied to one piece of
 * text ({@link Segmenter#BPE}) at a time. A piece's UTF-8 bytes are the 256 base symbols; then, over
 * and over, the adjacent pair with the lowest merge rank is merged wherever it occurs (left to right,
 * never overlapping), until no pair of the piece has a merge. No text is unknown.
 *
 * <p>Ids: 0-3 are the reserved ids of {@link Tokenizer}, {@code 4 + b} is byte {@code b}, and each merge
 * whose result is new takes the next id, in merge order. In {@code tokenizer.json} a token is written as
 * GPT-2 writes it: each byte as one printable character ({@link #symbol(int)}: bytes that are printable
 * Latin-1 stand for themselves, the others, space among them, map to U+0100 onwards, space to 'Ġ'), and a
 * merge as its two tokens with a space between them.
 *
 * <p>Immutable and safe to share between threads (the piece cache is concurrent).
 */
public final class BytePairEncoding {
    /** Ids before the first byte: {@link Tokenizer#SPECIALS}. */
    public static final int OFFSET = Tokenizer.SPECIALS.size();
    /** Pieces longer than this (in bytes) are merged with a heap instead of repeated scans, and not cached. */
    static final int SHORT_PIECE = 64;
    private static final int CACHE_LIMIT = 100_000;
    private static final String[] SYMBOLS = byteSymbols();
    private static final Map<Character, Integer> BYTE_OF = byteOfSymbol();

    private final List<String> vocab;
    private final List<String> merges;
    private final byte[][] bytes; // by id; null for the reserved ids
    private final int[] mergeLeft;
    private final int[] mergeRight;
    private final int[] mergeResult;
    private final Map<Long, Integer> rank = new HashMap<>();
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param merges the merges in rank order, each {@code "left right"} in byte symbols
     * @throws UserException when a merge names a token not made yet, or makes a reserved token's name
     */
    public BytePairEncoding(List<String> merges) {
        List<String> v = new ArrayList<>(Tokenizer.SPECIALS);
        Map<String, Integer> ids = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            ids.put(SYMBOLS[b], v.size());
            v.add(SYMBOLS[b]);
        }
        int n = merges.size();
        mergeLeft = new int[n];
        mergeRight = new int[n];
        mergeResult = new int[n];
        for (int r = 0; r < n; r++) {
            String m = merges.get(r);
            int space = m == null ? -1 : m.indexOf(' ');
            if (space <= 0 || space == m.length() - 1 || m.indexOf(' ', space + 1) >= 0) {
                throw new UserException("bpe merge " + r + " must be two tokens with one space between them, got '" + m + "'");
            }
            String left = m.substring(0, space);
            String right = m.substring(space + 1);
            Integer l = ids.get(left);
            Integer rt = ids.get(right);
            if (l == null || rt == null) {
                throw new UserException("bpe merge " + r + " ('" + m + "') uses a token no earlier merge made");
            }
            String joined = left + right;
            if (Tokenizer.SPECIALS.contains(joined)) {
                throw new UserException("bpe merge " + r + " makes '" + joined + "', a reserved token's name");
            }
            Integer id = ids.get(joined);
            if (id == null) {
                id = v.size();
                ids.put(joined, id);
                v.add(joined);
            }
            if (rank.putIfAbsent(pair(l, rt), r) != null) {
                throw new UserException("bpe merge " + r + " ('" + m + "') repeats an earlier merge");
            }
            mergeLeft[r] = l;
            mergeRight[r] = rt;
            mergeResult[r] = id;
        }
        this.vocab = List.copyOf(v);
        this.merges = List.copyOf(merges);
        this.bytes = new byte[vocab.size()][];
        for (int id = OFFSET; id < vocab.size(); id++) {
            bytes[id] = bytesOf(vocab.get(id));
        }
    }

    /** The vocabulary the merges make: the reserved tokens, the 256 bytes, then each new merge result. */
    public List<String> vocab() {
        return vocab;
    }

    public List<String> merges() {
        return merges;
    }

    /** The printable character that stands for byte {@code b} (0-255) in token names. */
    public static String symbol(int b) {
        return SYMBOLS[b];
    }

    /** A token name (byte symbols) as its bytes. */
    public static byte[] bytesOf(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            Integer b = BYTE_OF.get(token.charAt(i));
            if (b == null) {
                throw new UserException("'" + token + "' is not a byte-level token (character U+"
                        + String.format("%04X", (int) token.charAt(i)) + ")");
            }
            out[i] = (byte) (int) b;
        }
        return out;
    }

    /** A token name for bytes. */
    public static String nameOf(byte[] b) {
        StringBuilder s = new StringBuilder(b.length);
        for (byte x : b) {
            s.append(SYMBOLS[x & 0xFF]);
        }
        return s.toString();
    }

    /** The ids of one piece of text (as {@link Segmenter#BPE} cuts it). */
    public void encode(String piece, IntConsumer out) {
        int[] ids = cache.get(piece);
        if (ids == null) {
            byte[] b = piece.getBytes(StandardCharsets.UTF_8);
            ids = b.length <= SHORT_PIECE ? mergeByScans(b) : mergeWithHeap(b);
            if (b.length <= SHORT_PIECE) {
                if (cache.size() >= CACHE_LIMIT) {
                    cache.clear();
                }
                cache.put(piece, ids);
            }
        }
        for (int id : ids) {
            out.accept(id);
        }
    }

    /** Repeatedly finds the lowest-ranked adjacent pair and merges it everywhere: quadratic, fast for short pieces. */
    int[] mergeByScans(byte[] b) {
        int[] s = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            s[i] = OFFSET + (b[i] & 0xFF);
        }
        int n = s.length;
        while (n > 1) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                Integer r = rank.get(pair(s[i], s[i + 1]));
                if (r != null && r < best) {
                    best = r;
                }
            }
            if (best == Integer.MAX_VALUE) {
                break;
            }
            int l = mergeLeft[best];
            int rt = mergeRight[best];
            int out = 0;
            for (int i = 0; i < n; ) {
                if (i + 1 < n && s[i] == l && s[i + 1] == rt) {
                    s[out++] = mergeResult[best];
                    i += 2;
                } else {
                    s[out++] = s[i++];
                }
            }
            n = out;
        }
        return Arrays.copyOf(s, n);
    }

    /**
     * The same result as {@link #mergeByScans} in O(n log n): symbols in a linked list, candidate merges in a heap
     * ordered by rank, then position; a candidate whose symbols changed since it was queued is skipped.
     */
    int[] mergeWithHeap(byte[] b) {
        int n = b.length;
        int[] s = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = OFFSET + (b[i] & 0xFF);
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        PriorityQueue<long[]> heap = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        for (int i = 0; i + 1 < n; i++) {
            queue(heap, s, i, i + 1);
        }
        while (!heap.isEmpty()) {
            long[] c = heap.poll();
            int r = (int) c[0];
            int i = (int) c[1];
            int j = next[i];
            if (s[i] != mergeLeft[r] || j < 0 || s[j] != mergeRight[r]) {
                continue; // i was merged away (its symbol is then -1) or a neighbour changed
            }
            s[i] = mergeResult[r];
            s[j] = -1;
            next[i] = next[j];
            if (next[j] >= 0) {
                prev[next[j]] = i;
            }
            if (prev[i] >= 0) {
                queue(heap, s, prev[i], i);
            }
            if (next[i] >= 0) {
                queue(heap, s, i, next[i]);
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            out[k++] = s[i];
        }
        return Arrays.copyOf(out, k);
    }

    private void queue(PriorityQueue<long[]> heap, int[] s, int i, int j) {
        Integer r = rank.get(pair(s[i], s[j]));
        if (r != null) {
            heap.add(new long[] {r, i});
        }
    }

    /**
     * The text of ids: their bytes decoded as UTF-8. Padding and begin markers are skipped, an end marker is a line
     * break and the unknown id U+FFFD. Bytes that are not valid UTF-8, an incomplete character at the end among
     * them, each read as U+FFFD: decoding a prefix of a generation shows U+FFFD where a character is still
     * incomplete, and the full ids show the character.
     */
    public String decode(int... ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (id == Tokenizer.PAD || id == Tokenizer.BOS) {
                continue;
            }
            if (id == Tokenizer.EOS) {
                out.write('\n');
            } else if (id == Tokenizer.UNK) {
                out.writeBytes("\uFFFD".getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes(bytes[id]);
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder threw", e); // cannot happen with REPLACE
        }
    }

    /**
     * For each id, the characters of the text it stands for: the code points whose first byte it holds (so the
     * ids of a text add up to its code points), 1 for the end marker and the unknown id, 0 for padding and begin.
     */
    public int[] charsPerId() {
        int[] c = new int[vocab.size()];
        c[Tokenizer.UNK] = 1;
        c[Tokenizer.EOS] = 1;
        for (int id = OFFSET; id < c.length; id++) {
            for (byte x : bytes[id]) {
                c[id] += (x & 0xC0) == 0x80 ? 0 : 1;
            }
        }
        return c;
    }

    static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the others take U+0100 onwards in order. */
    private static String[] byteSymbols() {
        String[] s = new String[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            s[b] = String.valueOf((char) (printable ? b : 256 + extra++));
        }
        return s;
    }

    private static Map<Character, Integer> byteOfSymbol() {
        Map<Character, Integer> m = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            m.put(SYMBOLS[b].charAt(0), b);
        }
        return m;
    }
}
