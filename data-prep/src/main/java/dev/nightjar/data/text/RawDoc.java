package dev.nightjar.data.text;

import java.io.Serializable;

/**
 * One input document before cleaning: raw bytes to be decoded as UTF-8 (lines, text files), or
 * text a reader already decoded (CSV, JSONL, Parquet), or the reason it cannot be used.
 */
public final class RawDoc implements Serializable {
    public final byte[] bytes;
    public final String text;
    public final String rejected;

    private RawDoc(byte[] bytes, String text, String rejected) {
        this.bytes = bytes;
        this.text = text;
        this.rejected = rejected;
    }

    public static RawDoc ofBytes(byte[] bytes) {
        return new RawDoc(bytes, null, null);
    }

    public static RawDoc ofText(String text) {
        return new RawDoc(null, text, null);
    }

    /** A row that holds no usable document: missing_text, malformed_row. */
    public static RawDoc rejected(String reason) {
        return new RawDoc(null, null, reason);
    }
}
