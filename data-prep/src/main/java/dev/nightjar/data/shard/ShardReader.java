package dev.nightjar.data.shard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32;

/** Reads single records of a shard (see {@link ShardWriter} for the layout) through Hadoop's FileSystem. */
public final class ShardReader implements AutoCloseable {
    private final String name;
    private final FSDataInputStream in;
    private final long[][] index;
    private final String kind;

    private ShardReader(String name, FSDataInputStream in, long length) throws IOException {
        this.name = name;
        this.in = in;
        if (length < ShardWriter.MAGIC.length + 4 + 2 + ShardWriter.FOOTER_BYTES) {
            throw new ShardFormatException("shard " + name + " is truncated (" + length + " bytes)");
        }
        byte[] magic = new byte[8];
        in.readFully(0, magic);
        if (!Arrays.equals(magic, ShardWriter.MAGIC)) {
            throw new ShardFormatException("shard " + name + " is not a Nightjar shard (bad header)");
        }
        in.seek(8);
        int version = in.readInt();
        if (version != ShardWriter.VERSION) {
            throw new ShardFormatException("shard " + name + " has format version " + version + ", expected " + ShardWriter.VERSION);
        }
        kind = in.readUTF();
        byte[] footer = new byte[ShardWriter.FOOTER_BYTES];
        in.readFully(length - footer.length, footer);
        DataInputStream f = new DataInputStream(new ByteArrayInputStream(footer));
        long indexOffset = f.readLong();
        byte[] end = new byte[8];
        f.readFully(end);
        if (!Arrays.equals(end, ShardWriter.END_MAGIC) || indexOffset <= 0 || indexOffset > length - ShardWriter.FOOTER_BYTES - 4) {
            throw new ShardFormatException("shard " + name + " is truncated or damaged (bad footer)");
        }
        in.seek(indexOffset);
        int count = in.readInt();
        if (count < 0 || indexOffset + 4 + count * 20L != length - ShardWriter.FOOTER_BYTES) {
            throw new ShardFormatException("shard " + name + " is damaged (index does not fit the file)");
        }
        index = new long[count][];
        for (int i = 0; i < count; i++) {
            index[i] = new long[] {in.readLong(), in.readInt(), in.readInt(), in.readInt() & 0xffffffffL};
        }
    }

    public static ShardReader open(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        long length;
        try {
            length = fs.getFileStatus(p).getLen();
        } catch (java.io.FileNotFoundException e) {
            throw new ShardFormatException("shard " + uri + " is missing");
        }
        FSDataInputStream in = fs.open(p);
        try {
            return new ShardReader(uri, in, length);
        } catch (EOFException e) {
            in.close();
            throw new ShardFormatException("shard " + uri + " is truncated");
        } catch (ChecksumException e) {
            in.close();
            throw checksumFailure(uri, e);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    public String kind() {
        return kind;
    }

    public int records() {
        return index.length;
    }

    public int examples(int record) {
        return (int) index[record][2];
    }

    /** The record's payload, checked against its CRC-32. */
    public byte[] read(int record) throws IOException {
        if (record < 0 || record >= index.length) {
            throw new ShardFormatException("shard " + name + " has no record " + record + " (it has " + index.length + ")");
        }
        long[] e = index[record];
        byte[] payload = new byte[(int) e[1]];
        try {
            in.readFully(e[0], payload);
        } catch (EOFException ex) {
            throw new ShardFormatException("shard " + name + " is truncated at record " + record);
        } catch (ChecksumException ex) {
            throw checksumFailure(name + " record " + record, ex);
        }
        CRC32 crc = new CRC32();
        crc.update(payload);
        if (crc.getValue() != e[3]) {
            throw new ShardFormatException("shard " + name + " record " + record + " fails its checksum (corrupt data)");
        }
        return payload;
    }

    /** The file system's own checksum (HDFS blocks, local .crc files) caught the damage before ours did. */
    private static ShardFormatException checksumFailure(String what, ChecksumException e) {
        return new ShardFormatException("shard " + what + " fails the file system's checksum at byte " + e.getPos() + " (corrupt data)");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
