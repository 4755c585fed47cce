package dev.nightjar.data.shard;

import dev.nightjar.data.text.TokenBatch;
import dev.nightjar.testing.Golden;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shard file format, byte for byte: a tiny language-model shard written by {@link ShardWriter}
 * for fixed records against the checked-in {@code golden/shard-lm.bin}, and that file read back by
 * {@link ShardReader}, so that a change which still round-trips but no longer reads the shards already
 * on disk is caught. The writer records no time, host or path, so the whole file is deterministic and
 * compared whole. Regenerate with
 * {@code mvn -B -o -pl data-prep -Dtest=ShardHeaderGoldenTest -Dgolden.update=true test}.
 *
 * <p>{@code golden/shard-lm.bin} (124 bytes, all integers big-endian):
 * <pre>
 * offset  bytes                                            field
 * header
 * 0000    4e 4a 53 48 41 52 44 31                          magic "NJSHARD1"
 * 0008    00 00 00 01                                      int format version 1
 * 000c    00 02 6c 6d                                      kind "lm" (DataOutput.writeUTF: u16 length, modified UTF-8)
 * record 0 (TokenBatch: int n, int length, byte width, then n x length ids)
 * 0010    00 00 00 02                                      n = 2 sequences
 * 0014    00 00 00 05                                      length = 5 ids (seq-len 4 + 1)
 * 0018    02                                               width = 2 (int16 ids)
 * 0019    00 02 00 0a 00 0b 00 0c 00 03                    &lt;bos&gt; 10 11 12 &lt;eos&gt;
 * 0023    00 02 00 0d 00 0e 00 0f 00 03                    &lt;bos&gt; 13 14 15 &lt;eos&gt;
 * record 1
 * 002d    00 00 00 01 00 00 00 05 02                       n = 1, length = 5, width = 2
 * 0036    00 02 01 2c 00 04 00 05 00 03                    &lt;bos&gt; 300 4 5 &lt;eos&gt; (300 = 0x012c: byte order)
 * index
 * 0040    00 00 00 02                                      int record count = 2
 * 0044    00 00 00 00 00 00 00 10  00 00 00 1d             record 0: long offset 0x10, int length 29,
 * 0050    00 00 00 02  48 23 39 f8                          int examples 2, int CRC-32 of the payload
 * 0058    00 00 00 00 00 00 00 2d  00 00 00 13             record 1: offset 0x2d, length 19,
 * 0064    00 00 00 01  34 ac d8 4e                          examples 1, CRC-32
 * footer
 * 006c    00 00 00 00 00 00 00 40                          long index offset 0x40
 * 0074    4e 4a 53 48 45 4e 44 31                          end magic "NJSHEND1"
 * </pre>
 */
class ShardHeaderGoldenTest {
    private static final Configuration CONF = new Configuration();

    /** Two records of a char-LM shard: 2 sequences, then 1 (the tail of a partition), seq-len 4, int16 ids. */
    private static final List<TokenBatch> RECORDS = List.of(
            new TokenBatch(2, 5, new int[] {2, 10, 11, 12, 3, 2, 13, 14, 15, 3}),
            new TokenBatch(1, 5, new int[] {2, 300, 4, 5, 3}));

    @Test
    void shardBytesMatchTheGoldenFileAndItReadsBack(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("train-00000.bin");
        ShardWriter w = null;
        try (OutputStream out = Files.newOutputStream(f)) {
            w = new ShardWriter(out, TokenBatch.KIND);
            for (TokenBatch b : RECORDS) {
                w.writeRecord(b.encode(TokenBatch.width(70)), b.n());
            }
            w.close();
        }
        byte[] written = Files.readAllBytes(f);
        assertEquals(written.length, w.bytes());
        Path golden = Golden.check(ShardHeaderGoldenTest.class, "shard-lm.bin", written);

        // the checked-in file, not only what this build writes, must read back to the same records
        try (ShardReader r = ShardReader.open(golden.toUri().toString(), CONF)) {
            assertEquals(TokenBatch.KIND, r.kind());
            assertEquals(RECORDS.size(), r.records());
            for (int i = 0; i < RECORDS.size(); i++) {
                TokenBatch back = TokenBatch.decode(r.read(i));
                assertEquals(RECORDS.get(i).n(), r.examples(i), "examples of record " + i);
                assertEquals(RECORDS.get(i).n(), back.n());
                assertEquals(RECORDS.get(i).length(), back.length());
                assertArrayEquals(RECORDS.get(i).ids(), back.ids(), "ids of record " + i);
            }
        }
    }
}
