package dev.nightjar.data.shard;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardFormatTest {
    private static final Configuration CONF = new Configuration();

    private static Path writeShard(Path dir, byte[]... payloads) throws Exception {
        Path f = dir.resolve("train-00000.bin");
        ShardWriter w;
        try (OutputStream out = Files.newOutputStream(f)) {
            w = new ShardWriter(out, "image");
            for (int i = 0; i < payloads.length; i++) {
                w.writeRecord(payloads[i], i + 1);
            }
            w.close();
        }
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(f));
        assertEquals(crc.getValue(), w.fileCrc32(), "file checksum recorded for the manifest");
        assertEquals(Files.size(f), w.bytes());
        return f;
    }

    @Test
    void recordsRoundTripInAnyOrder(@TempDir Path tmp) throws Exception {
        byte[] a = "first record".getBytes();
        byte[] b = new byte[100_000];
        Arrays.fill(b, (byte) 7);
        byte[] c = new byte[0];
        Path f = writeShard(tmp, a, b, c);
        try (ShardReader r = ShardReader.open(f.toString(), CONF)) {
            assertEquals("image", r.kind());
            assertEquals(3, r.records());
            assertEquals(2, r.examples(1));
            assertArrayEquals(c, r.read(2));
            assertArrayEquals(a, r.read(0));
            assertArrayEquals(b, r.read(1));
            ShardFormatException e = assertThrows(ShardFormatException.class, () -> r.read(3));
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
    }

    @Test
    void truncatedShardFailsNamingTheFile(@TempDir Path tmp) throws Exception {
        Path f = writeShard(tmp, new byte[5000], new byte[5000]);
        byte[] all = Files.readAllBytes(f);
        for (int cut : new int[] {10, 3000, all.length - 5}) {
            Files.write(f, Arrays.copyOf(all, cut));
            ShardFormatException e = assertThrows(ShardFormatException.class, () -> ShardReader.open(f.toString(), CONF).close());
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void flippedByteFailsTheChecksumNamingFileAndRecord(@TempDir Path tmp) throws Exception {
        Path f = writeShard(tmp, "aaaaaaaaaaaaaaaa".getBytes(), "bbbbbbbbbbbbbbbb".getBytes());
        byte[] all = Files.readAllBytes(f);
        int pos = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("bbbb");
        all[pos + 3] ^= 0x20;
        Files.write(f, all);
        try (ShardReader r = ShardReader.open(f.toString(), CONF)) {
            assertArrayEquals("aaaaaaaaaaaaaaaa".getBytes(), r.read(0));
            ShardFormatException e = assertThrows(ShardFormatException.class, () -> r.read(1));
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("record 1")
                    && e.getMessage().contains("checksum"), e.getMessage());
        }
    }

    @Test
    void damageCaughtByTheFileSystemChecksumIsAShardError(@TempDir Path tmp) throws Exception {
        // Hadoop's local file system keeps a .crc beside each file, as HDFS keeps block checksums
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(tmp.resolve("checked.bin").toUri());
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(CONF);
        try (OutputStream out = fs.create(p, true)) {
            ShardWriter w = new ShardWriter(out, "image");
            w.writeRecord(new byte[3000], 1);
            w.writeRecord(new byte[3000], 1);
            w.close();
        }
        Path f = tmp.resolve("checked.bin");
        byte[] all = Files.readAllBytes(f);
        all[4000] ^= 0x7f;
        Files.write(f, all);
        ShardFormatException e = assertThrows(ShardFormatException.class, () -> {
            try (ShardReader r = ShardReader.open(p.toString(), CONF)) {
                r.read(1);
            }
        });
        assertTrue(e.getMessage().contains("checked.bin") && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void otherFilesAreRejected(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("notes.bin");
        Files.writeString(f, "this is not a shard, just some text that is long enough");
        ShardFormatException e = assertThrows(ShardFormatException.class, () -> ShardReader.open(f.toString(), CONF));
        assertTrue(e.getMessage().contains("notes.bin"));
        ShardFormatException missing = assertThrows(ShardFormatException.class,
                () -> ShardReader.open(tmp.resolve("gone.bin").toString(), CONF));
        assertTrue(missing.getMessage().contains("gone.bin") && missing.getMessage().contains("missing"));
    }

    @Test
    void recordPathsParse() {
        RecordRef r = RecordRef.parse("hdfs://nn:8020/data/shards/train-00001.bin#17");
        assertEquals("hdfs://nn:8020/data/shards/train-00001.bin", r.shard());
        assertEquals(17, r.record());
        assertEquals("hdfs://nn:8020/data/shards/train-00001.bin#17", r.toString());
        assertThrows(dev.nightjar.UserException.class, () -> RecordRef.parse("/data/train.bin"));
    }
}
