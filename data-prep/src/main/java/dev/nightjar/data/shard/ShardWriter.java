package dev.nightjar.data.shard;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes one shard file: a header, opaque record payloads, then an index and a footer.
 *
 * <pre>
 * header : "NJSHARD1" (8 bytes), int version, UTF kind
 * records: payload bytes, back to back
 * index  : int count, then per record: long offset, int length, int examples, int crc32
 * footer : long indexOffset, "NJSHEND1" (8 bytes)
 * </pre>
 * A record is found through the index, and its CRC-32 is checked when it is read.
 */
public final class ShardWriter implements AutoCloseable {
    static final byte[] MAGIC = "NJSHARD1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] END_MAGIC = "NJSHEND1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int FOOTER_BYTES = 16;

    private final DataOutputStream out;
    private final List<long[]> index = new ArrayList<>();
    private final CRC32 fileCrc = new CRC32();
    private long examples;

    public ShardWriter(OutputStream out, String kind) throws IOException {
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(new CrcOutputStream(out, fileCrc), 1 << 16));
        this.out.write(MAGIC);
        this.out.writeInt(VERSION);
        this.out.writeUTF(kind);
    }

    public void writeRecord(byte[] payload, int exampleCount) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(payload);
        index.add(new long[] {out.size(), payload.length, exampleCount, crc.getValue()});
        out.write(payload);
        examples += exampleCount;
    }

    public int records() {
        return index.size();
    }

    public long examples() {
        return examples;
    }

    /** Valid after {@link #close()}: CRC-32 of the whole file, as recorded in the manifest. */
    public long fileCrc32() {
        return fileCrc.getValue();
    }

    /** Valid after {@link #close()}. */
    public long bytes() {
        return out.size();
    }

    @Override
    public void close() throws IOException {
        long indexOffset = out.size();
        out.writeInt(index.size());
        for (long[] e : index) {
            out.writeLong(e[0]);
            out.writeInt((int) e[1]);
            out.writeInt((int) e[2]);
            out.writeInt((int) e[3]);
        }
        out.writeLong(indexOffset);
        out.write(END_MAGIC);
        out.close();
    }

    /** Counts a CRC over everything written. */
    private static final class CrcOutputStream extends java.io.FilterOutputStream {
        private final CRC32 crc;

        CrcOutputStream(OutputStream out, CRC32 crc) {
            super(out);
            this.crc = crc;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
        }
    }
}
