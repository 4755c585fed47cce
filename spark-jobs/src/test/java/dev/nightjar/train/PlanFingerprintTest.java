package dev.nightjar.train;

import dev.nightjar.config.Configs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Each part of a segment plan's fingerprint, changed alone, is named with its old and new value; nothing else is. */
class PlanFingerprintTest {
    static final List<String> RECORDS = List.of("file:/data/shards/part-00000.shard#0", "file:/data/shards/part-00000.shard#1",
            "file:/data/shards/part-00002.shard#0");

    static TrainConfig cfg(String... sets) {
        List<String> all = new ArrayList<>(List.of("train.workers=2", "train.averaging-frequency=5", "train.rounds-per-segment=4"));
        all.addAll(List.of(sets));
        return TrainConfig.from(Configs.layered(Configs.defaults(), Configs.parseOverrides(all)));
    }

    static PlanFingerprint base() {
        return PlanFingerprint.of(cfg(), "hash-a", List.of("file:/data/shards/part-00001.shard"), RECORDS);
    }

    @Test
    void theSamePlanHasNoChangesAndADatasetMovedElsewhereIsTheSamePlan() {
        assertEquals(List.of(), base().changesSince(base()));
        List<String> moved = RECORDS.stream().map(r -> r.replace("file:/data/", "hdfs://nn:8020/user/x/data/")).toList();
        PlanFingerprint there = PlanFingerprint.of(cfg(), "hash-a", List.of("hdfs://nn:8020/user/x/data/shards/part-00001.shard"), moved);
        assertEquals(base(), there);
        assertEquals(List.of("part-00001.shard"), there.skippedShards(), "shards by file name");
    }

    @Test
    void moreEpochsOrOtherCheckpointSettingsAreTheSamePlan() {
        PlanFingerprint more = PlanFingerprint.of(cfg("train.epochs=7", "train.checkpoint-every=1", "train.checkpoint-keep=9", "train.prefetch=0"),
                "hash-a", List.of("file:/data/shards/part-00001.shard"), RECORDS);
        assertEquals(List.of(), more.changesSince(base()));
    }

    @Test
    void theSeed() {
        assertEquals(List.of("seed 42 -> 7"), changed(cfg("seed=7")));
    }

    @Test
    void theWorkers() {
        assertEquals(List.of("train.workers 2 -> 4"), changed(cfg("train.workers=4")));
    }

    @Test
    void theAveragingFrequency() {
        assertEquals(List.of("train.averaging-frequency 5 -> 10"), changed(cfg("train.averaging-frequency=10")));
    }

    @Test
    void theRoundsPerSegment() {
        assertEquals(List.of("train.rounds-per-segment 4 -> 2"), changed(cfg("train.rounds-per-segment=2")));
    }

    @Test
    void theSameRecordsPerSegmentCutOtherwiseIsAnotherPlan() {
        // 2 x 5 x 4 = 4 x 5 x 2 records per segment, but rounds of 10 become rounds of 20
        assertEquals(List.of("train.workers 2 -> 4", "train.rounds-per-segment 4 -> 2"), changed(cfg("train.workers=4", "train.rounds-per-segment=2")));
    }

    @Test
    void theMaxRecords() {
        assertEquals(List.of("train.max-records 0 -> 2", "train records 3 -> 2"),
                PlanFingerprint.of(cfg("train.max-records=2"), "hash-a", List.of("part-00001.shard"), RECORDS.subList(0, 2)).changesSince(base()));
    }

    @Test
    void theSkippedShards() {
        List<String> all = new ArrayList<>(RECORDS);
        all.add("file:/data/shards/part-00001.shard#0");
        assertEquals(List.of("skipped corrupt shards (--skip-corrupt) [part-00001.shard] -> []", "train records 3 -> 4"),
                PlanFingerprint.of(cfg(), "hash-a", List.of(), all).changesSince(base()));
    }

    @Test
    void theDatasetsContents() {
        assertEquals(List.of("dataset content hash hash-a -> hash-b"),
                PlanFingerprint.of(cfg(), "hash-b", List.of("part-00001.shard"), RECORDS).changesSince(base()));
    }

    @Test
    void otherRecordsOfTheSameCountAreNamedWhenNothingElseExplainsThem() {
        List<String> other = List.of(RECORDS.get(0), RECORDS.get(1), "file:/data/shards/part-00003.shard#0");
        PlanFingerprint now = PlanFingerprint.of(cfg(), "hash-a", List.of("part-00001.shard"), other);
        List<String> changes = now.changesSince(base());
        assertEquals(1, changes.size(), changes.toString());
        assertEquals("train records' SHA-256 " + base().recordsSha256() + " -> " + now.recordsSha256(), changes.get(0));
        assertNotEquals(base().recordsSha256(), PlanFingerprint.of(cfg(), "hash-a", List.of("part-00001.shard"),
                List.of(RECORDS.get(1), RECORDS.get(0), RECORDS.get(2))).recordsSha256(), "the order the plan shuffles from counts too");
    }

    private static List<String> changed(TrainConfig now) {
        return PlanFingerprint.of(now, "hash-a", List.of("part-00001.shard"), RECORDS).changesSince(base());
    }
}
