package dev.nightjar.data.text;

import java.io.Serializable;

/**
 * One input document before cleaning: raw bytes to be decoded as UTF-8 (lines, text files), or
 * text a reader already decoded (CSV, JSONL, Parquet), or the reason it cannot be used.
 *
 * <p>A line's bytes are the line reader's own buffer, not a copy, so a huge line is held once:
 * consume a document before asking for the next one, and never cache an RDD of them.
 */
public final class RawDoc implements Serializable {
    private static final long serialVersionUID = 1L;

    public final byte[] bytes;
    /** Bytes of {@link #bytes} that belong to the document. */
    public final int length;
    public final String text;
    public final String rejected;

    private RawDoc(byte[] bytes, int length, String text, String rejected) {
        this.bytes = bytes;
        this.length = length;
        this.text = text;
        this.rejected = rejected;
    }

    public static RawDoc ofBytes(byte[] bytes) {
        return ofBytes(bytes, bytes.length);
    }

    /** The first {@code length} bytes of a buffer. */
    public static RawDoc ofBytes(byte[] bytes, int length) {
        return new RawDoc(bytes, length, null, null);
    }

    public static RawDoc ofText(String text) {
        return new RawDoc(null, 0, text, null);
    }

    /** A row that holds no usable document: missing_text, malformed_row. */
    public static RawDoc rejected(String reason) {
        return new RawDoc(null, 0, null, reason);
    }
}
