package dev.nightjar.train;

import dev.nightjar.data.shard.RecordList;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The segment plan made on record indices is the plan that {@code Collections.shuffle} over a copy of
 * every path made (the trainer's plan until 2026-12-02): the same records in the same order, cut at the
 * same places, for any count, seed and epoch, and for train.max-records' pick (epoch -1) shuffled again.
 * So a run trains what it trained before, and a checkpoint made before resumes at the same position.
 */
class SegmentPlanTest {

    /** The plan as it was: a copy of every path, shuffled, cut into immutable segments. */
    static List<List<String>> reference(List<String> records, long seed, int epoch, int recordsPerSegment) {
        List<String> order = new ArrayList<>(records);
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        List<List<String>> segments = new ArrayList<>();
        for (int i = 0; i < order.size(); i += recordsPerSegment) {
            segments.add(List.copyOf(order.subList(i, Math.min(order.size(), i + recordsPerSegment))));
        }
        return segments;
    }

    static RecordList records(int... perShard) {
        List<String> uris = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int s = 0; s < perShard.length; s++) {
            uris.add("file:/d/shards/train-" + s + ".bin");
            counts.add(perShard[s]);
        }
        return new RecordList(uris, counts);
    }

    @Test
    void theSameOrderAsCollectionsShuffleOverEveryPath() {
        List<RecordList> lists = List.of(records(), records(1), records(2), records(3, 0, 1), records(4, 4, 4, 4, 1),
                records(50, 0, 37, 91), records(1000, 1000, 1000, 313));
        for (RecordList records : lists) {
            List<String> strings = new ArrayList<>(records);
            for (long seed : new long[] {42, 7, -3}) {
                for (int epoch = -1; epoch < 4; epoch++) {
                    for (int perSegment : new int[] {1, 4, 12, 1000}) {
                        assertEquals(reference(strings, seed, epoch, perSegment), SegmentPlan.segments(records, seed, epoch, perSegment),
                                records.size() + " records, seed " + seed + ", epoch " + epoch + ", " + perSegment + " per segment");
                    }
                }
            }
        }
    }

    @Test
    void maxRecordsPicksThenShufflesPerEpochAsBefore() {
        RecordList records = records(300, 211, 0, 97);
        List<String> strings = new ArrayList<>(records);
        List<String> picked = SegmentPlan.segments(records, 42, -1, 250).get(0);
        List<String> pickedBefore = reference(strings, 42, -1, 250).get(0);
        assertEquals(pickedBefore, picked);
        for (int epoch = 0; epoch < 3; epoch++) {
            assertEquals(reference(pickedBefore, 42, epoch, 24), SegmentPlan.segments(picked, 42, epoch, 24), "epoch " + epoch);
        }
    }

    @Test
    void aPlainListOfPathsPlansAlike() {
        List<String> strings = new ArrayList<>(records(17, 5));
        assertEquals(reference(strings, 1, 0, 6), SegmentPlan.segments(strings, 1, 0, 6));
        assertEquals(reference(strings, 1, 0, 6), SegmentPlan.segments(new java.util.LinkedList<>(strings), 1, 0, 6));
    }
}
