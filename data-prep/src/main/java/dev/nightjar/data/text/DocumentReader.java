package dev.nightjar.data.text;

import dev.nightjar.data.Splits;
import dev.nightjar.text.TextCleaner;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Consumer;

/**
 * Streams one document through decoding and cleaning in bounded chunks, so a document of any
 * size needs its raw form once and never a second full-size copy. Invalid UTF-8 is replaced by
 * U+FFFD and counted. Also assigns the document's split by a seeded hash of its raw content,
 * so a document keeps its split when others are added.
 */
public final class DocumentReader implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    static final int CHUNK = 1 << 16;
    private final long seed;
    private final double valFraction;
    private final double testFraction;

    public DocumentReader(long seed, double valFraction, double testFraction) {
        this.seed = seed;
        this.valFraction = valFraction;
        this.testFraction = testFraction;
    }

    /** train, validation or test, from the content hash: test below testFraction, then validation. */
    public String split(RawDoc doc) {
        return Splits.of(hash(doc), valFraction, testFraction);
    }

    long hash(RawDoc doc) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ByteBuffer.allocate(8).putLong(seed).array());
            if (doc.bytes != null) {
                md.update(doc.bytes, 0, doc.length);
            } else {
                for (int i = 0; i < doc.text.length(); i += CHUNK) {
                    md.update(doc.text.substring(i, Math.min(doc.text.length(), i + CHUNK)).getBytes(StandardCharsets.UTF_8));
                }
            }
            return ByteBuffer.wrap(md.digest()).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Cleans the document into {@code out}, one chunk at a time; {@code cleaner} keeps the counts.
     *
     * @return invalid UTF-8 sequences replaced
     */
    public static long clean(RawDoc doc, TextCleaner cleaner, Consumer<CharSequence> out) {
        StringBuilder cleaned = new StringBuilder();
        Consumer<CharSequence> feed = chunk -> {
            cleaned.setLength(0);
            cleaner.feed(chunk, cleaned);
            if (cleaned.length() > 0) {
                out.accept(cleaned);
            }
        };
        long invalid = doc.bytes != null ? decode(doc.bytes, doc.length, feed) : split(doc.text, feed);
        cleaner.endDocument();
        return invalid;
    }

    private static long split(String text, Consumer<CharSequence> feed) {
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + CHUNK);
            int cut = end == text.length() ? end : TextCleaner.safeCut(text, start, end);
            feed.accept(text.substring(start, cut));
            start = cut;
        }
        return 0;
    }

    /** Decodes UTF-8 in chunks, replacing (and counting) each malformed or unmappable sequence. */
    private static long decode(byte[] bytes, int length, Consumer<CharSequence> feed) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        CharBuffer buf = CharBuffer.allocate(CHUNK * 2);
        long invalid = 0;
        while (true) {
            CoderResult r = decoder.decode(in, buf, true);
            if (r.isError()) {
                in.position(in.position() + r.length());
                invalid++;
                if (!buf.hasRemaining()) {
                    buf = flushChunk(buf, feed, false);
                }
                buf.put('\uFFFD');
            } else if (r.isOverflow() || buf.position() >= CHUNK) {
                buf = flushChunk(buf, feed, false);
            } else {
                decoder.flush(buf);
                flushChunk(buf, feed, true);
                return invalid;
            }
        }
    }

    /** Hands the decoded text up to a safe cut to the cleaner and keeps the rest for the next chunk. */
    private static CharBuffer flushChunk(CharBuffer buf, Consumer<CharSequence> feed, boolean last) {
        buf.flip();
        int cut = last ? buf.limit() : TextCleaner.safeCut(buf, 0, buf.limit());
        if (cut == 0) {
            cut = buf.limit();
        }
        feed.accept(buf.subSequence(0, cut).toString());
        buf.position(cut);
        buf.compact();
        return buf;
    }
}
