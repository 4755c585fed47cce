package dev.nightjar.spark;

import dev.nightjar.data.shard.RecordList;
import dev.nightjar.testing.SharedSpark;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Evaluation's records, made in the partitions from the shard table, sit in the same partitions in the
 * same order as when the driver parallelized every path: evaluation results cannot change.
 */
class RecordRddsTest {
    @Test
    void thePartitionsOfParallelizingEveryPath() {
        for (int[] counts : new int[][] {{1}, {3, 0, 4}, {10, 10, 10, 7}, {100, 1, 0, 55}}) {
            List<String> uris = new ArrayList<>();
            List<Integer> n = new ArrayList<>();
            for (int s = 0; s < counts.length; s++) {
                uris.add("file:/d/shards/val-" + s + ".bin");
                n.add(counts[s]);
            }
            RecordList records = new RecordList(uris, n);
            for (int parts : new int[] {1, 2, 3, 7}) {
                int p = Math.min(parts, records.size());
                List<List<String>> expected = SharedSpark.get().parallelize(new ArrayList<>(records), p).glom().collect();
                assertEquals(expected, RecordRdds.of(SharedSpark.get(), records, p).glom().collect(), records.size() + " records, " + p + " partitions");
            }
        }
    }
}
