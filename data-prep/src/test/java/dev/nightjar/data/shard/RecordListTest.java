package dev.nightjar.data.shard;

import dev.nightjar.data.Manifest;
import dev.nightjar.data.ShardInfo;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifest's record list, which makes each path when asked, is the list of paths that used to be
 * built one string per record: the same paths in the same order, whatever the shards' record counts.
 */
class RecordListTest {
    private static final String DIR = "hdfs://nn:8020/data/ds";

    private static Manifest manifest(List<ShardInfo> shards) {
        return new Manifest(Manifest.FORMAT_VERSION, "image", "2026-12-02T00:00:00Z", null, 2, 32, Map.of(), shards, List.of(),
                "hash", Map.of(), null);
    }

    private static ShardInfo shard(String file, String split, int records) {
        return new ShardInfo(file, split, records, records * 32L, 1000, 1);
    }

    /** The paths as Manifest.recordPaths built them before: a string per record, shard by shard. */
    private static List<String> materialized(Manifest m, String split) {
        List<String> paths = new ArrayList<>();
        for (ShardInfo s : m.shards()) {
            if (s.split().equals(split)) {
                for (int r = 0; r < s.records(); r++) {
                    paths.add(new RecordRef(DIR + "/" + Manifest.SHARD_DIR + "/" + s.file(), r).toString());
                }
            }
        }
        return paths;
    }

    private static final List<ShardInfo> SHARDS = List.of(shard("train-00000.bin", "train", 3), shard("val-00000.bin", "validation", 2),
            shard("train-00001.bin", "train", 0), shard("train-00002.bin", "train", 1), shard("train-00003.bin", "train", 5),
            shard("train-00004.bin", "train", 0));

    @Test
    void theSamePathsInTheSameOrderAsAStringPerRecord() {
        Manifest m = manifest(SHARDS);
        for (String split : List.of("train", "validation", "test")) {
            RecordList lazy = m.recordPaths(DIR, split);
            List<String> strings = materialized(m, split);
            assertEquals(strings.size(), lazy.size(), split);
            for (int i = 0; i < strings.size(); i++) {
                assertEquals(strings.get(i), lazy.get(i), split + " record " + i);
                RecordRef ref = RecordRef.parse(strings.get(i));
                assertEquals(ref.shard(), lazy.shard(i));
                assertEquals(ref.record(), lazy.record(i));
            }
            assertEquals(strings, lazy);
            if (!strings.isEmpty()) {
                assertEquals(strings.subList(1, strings.size()), lazy.subList(1, lazy.size()));
            }
        }
        assertEquals(9, m.recordPaths(DIR, "train").size());
        assertTrue(m.recordPaths(DIR, "test").isEmpty());
    }

    @Test
    void outOfRangeIsAnError() {
        RecordList l = manifest(SHARDS).recordPaths(DIR, "train");
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(9));
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(-1));
        assertThrows(UnsupportedOperationException.class, () -> l.add("x"));
    }

    @Test
    void withoutShardsLeavesOutExactlyTheirRecords() {
        Manifest m = manifest(SHARDS);
        String skipped = DIR + "/shards/train-00002.bin";
        List<String> expected = materialized(m, "train").stream().filter(p -> !RecordRef.parse(p).shard().equals(skipped)).toList();
        assertEquals(expected, m.recordPaths(DIR, "train").withoutShards(List.of(skipped, DIR + "/shards/no-such.bin")));
        assertEquals(8, expected.size());
    }

    @Test
    void travelsToExecutorsAsItsShardTable() throws Exception {
        RecordList l = manifest(SHARDS).recordPaths(DIR, "train");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(l);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(l, in.readObject());
        }
    }
}
