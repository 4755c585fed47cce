package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Splits;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.storage.Checkpoints;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.train.DistributedTrainer;
import dev.nightjar.train.MetricsLog;
import dev.nightjar.train.PlanFingerprint;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checkpoint is a position in one segment plan: {@code train} resumes from it only under the same
 * plan, refuses naming what changed otherwise, and with {@code --resume-new-plan} starts the
 * checkpoint's epoch again from its weights under the new plan.
 */
class ResumePlanTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path other;
    static Path run;

    static Config config(String... extra) {
        List<String> sets = new ArrayList<>(List.of("model.learning-rate=0.02", "model.lm.embedding-size=8", "model.lm.lstm-sizes=[16]",
                "model.lm.tbptt-length=10", "train.workers=2", "train.averaging-frequency=2", "train.rounds-per-segment=1", "train.epochs=1",
                "train.checkpoint-every=1", "train.checkpoint-keep=100", "train.validate-every-epoch=false"));
        sets.addAll(List.of(extra));
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(sets));
    }

    static Path prepare(String name, String words) throws Exception {
        List<String> files = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                lines.add("line " + i + " of part " + f + " of " + words);
            }
            Path corpus = tmp.resolve(name + "-" + f + ".txt");
            Files.write(corpus, lines);
            files.add(corpus.toString());
        }
        Path dir = tmp.resolve(name);
        new TextPrep(SharedSpark.get()).run(new TextPrep.Options(List.of(new TextInput("lines", null, files)),
                dir.toString(), "char", null, 20, 8, 0.0, 0.1, 42, 1, 100, false));
        return dir;
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        data = prepare("data", "a small corpus with a few words in it");
        other = prepare("other", "another corpus with other words");
        run = tmp.resolve("run");
        TrainJob.run(new TrainJob.Options(config(), data.toString(), run.toString(), false), SharedSpark.get());
    }

    private static UserException refused(Config c, Path dataset) {
        return assertThrows(UserException.class, () -> TrainJob.run(new TrainJob.Options(c, dataset.toString(), run.toString(), true),
                SharedSpark.get()));
    }

    private static void assertRefusedNaming(UserException e, String change) {
        assertTrue(e.getMessage().contains("another segment plan") && e.getMessage().contains(change) && e.getMessage().contains("--resume-new-plan"),
                e.getMessage());
    }

    @Test
    void theCheckpointRecordsThePlanReadably() throws Exception {
        Checkpoints.Checkpoint c = new Checkpoints(run.toString(), new Configuration(), 100).latestValid();
        PlanFingerprint p = c.cursor().plan();
        Manifest m = Manifest.read(data.toString(), new Configuration());
        assertEquals(List.of(42L, 2, 2, 1, 0, List.of(), m.contentHash()),
                List.of(p.seed(), p.workers(), p.averagingFrequency(), p.roundsPerSegment(), p.maxRecords(), p.skippedShards(), p.datasetContentHash()));
        assertEquals(m.recordPaths(data.toString(), Splits.TRAIN).size(), p.trainRecords());
        String json = Files.readString(Path.of(java.net.URI.create(c.dir()).getPath()).resolve(Checkpoints.CURSOR));
        assertTrue(json.contains("\"plan\"") && json.contains("\"averaging_frequency\" : 2") && json.contains("\"dataset_content_hash\""), json);
    }

    @Test
    void aChangedSeedWorkersAveragingRoundsOrMaxRecordsIsRefusedNamingTheChange() {
        assertRefusedNaming(refused(config("seed=7"), data), "seed 42 -> 7");
        assertRefusedNaming(refused(config("train.workers=1"), data), "train.workers 2 -> 1");
        assertRefusedNaming(refused(config("train.averaging-frequency=1"), data), "train.averaging-frequency 2 -> 1");
        assertRefusedNaming(refused(config("train.rounds-per-segment=2"), data), "train.rounds-per-segment 1 -> 2");
        assertRefusedNaming(refused(config("train.max-records=5"), data), "train.max-records 0 -> 5");
    }

    @Test
    void anotherDatasetIsRefusedNamingItsContentHash() {
        String before = Manifest.read(data.toString(), new Configuration()).contentHash();
        String after = Manifest.read(other.toString(), new Configuration()).contentHash();
        assertRefusedNaming(refused(config(), other), "dataset content hash " + before + " -> " + after);
    }

    @Test
    void aShardSkippedThenRepairedIsAnotherPlanThoughTheDatasetIsTheSame() throws Exception {
        Path damaged = tmp.resolve("damaged");
        FileUtils.copyDirectory(data.toFile(), damaged.toFile());
        ShardInfo shard = Manifest.read(data.toString(), new Configuration()).shards().stream()
                .filter(s -> s.split().equals(Splits.TRAIN)).findFirst().orElseThrow();
        Path file = damaged.resolve(Manifest.SHARD_DIR).resolve(shard.file());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xff);
        }
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        Path skipped = tmp.resolve("skipped-run");
        TrainJob.run(new TrainJob.Options(config(), damaged.toString(), skipped.toString(), false, null, false, false, true), SharedSpark.get());

        // the shard repaired (the intact copy: the same manifest, the same content hash), the same command resumes
        UserException e = assertThrows(UserException.class, () -> TrainJob.run(new TrainJob.Options(config(), data.toString(),
                skipped.toString(), true, null, false, false, true), SharedSpark.get()));
        assertRefusedNaming(e, "skipped corrupt shards (--skip-corrupt) [" + shard.file() + "] -> []");
        assertTrue(!e.getMessage().contains("dataset content hash"), e.getMessage());
    }

    @Test
    void theSamePlanResumesWithMoreEpochsFromAMovedDataset() throws Exception {
        Path copy = tmp.resolve("same-plan-run");
        FileUtils.copyDirectory(run.toFile(), copy.toFile());
        Path moved = tmp.resolve("moved");
        FileUtils.copyDirectory(data.toFile(), moved.toFile());
        TrainJob.Result r = TrainJob.run(new TrainJob.Options(config("train.epochs=2"), moved.toString(), copy.toString(), true),
                SharedSpark.get());
        assertEquals(1, r.segments().get(0).epoch(), "resumed at the second epoch");
        assertEquals(0, r.segments().get(0).segment());
    }

    @Test
    void resumeNewPlanStartsTheCheckpointsEpochAgainUnderTheNewPlanAndRecordsIt() throws Exception {
        Path copy = tmp.resolve("new-plan-run");
        FileUtils.copyDirectory(run.toFile(), copy.toFile());
        Checkpoints.Cursor before = new Checkpoints(copy.toString(), new Configuration(), 100).latestValid().cursor();
        TrainJob.Result r = TrainJob.run(new TrainJob.Options(config("train.epochs=2", "train.averaging-frequency=4"), data.toString(), copy.toString(),
                true, null, false, false, false, true), SharedSpark.get());
        assertEquals(List.of(1, 0), List.of(r.segments().get(0).epoch(), r.segments().get(0).segment()));
        long epoch = Manifest.read(data.toString(), new Configuration()).examples(Splits.TRAIN);
        assertEquals(before.examplesSeen() + epoch, r.segments().get(r.segments().size() - 1).examplesSeen(), "counting on from the checkpoint");
        Checkpoints.Cursor after = new Checkpoints(copy.toString(), new Configuration(), 100).latestValid().cursor();
        assertEquals(4, after.plan().averagingFrequency(), "checkpoints from now on are positions in the new plan");
        List<String> log = Files.readAllLines(copy.resolve(MetricsLog.FILE));
        assertTrue(log.stream().anyMatch(l -> l.contains("\"resumed_from\"") && l.contains("\"new_plan\":[\"train.averaging-frequency 2 -> 4\"]")),
                String.join("\n", log));
    }

    /** Where {@link TrainJob#resumeAt} starts, without Spark: a checkpoint's cursor, with or without a recorded plan. */
    @Test
    void aMidEpochCheckpointUnderANewPlanStartsItsEpochAgainAndAnOldCheckpointChecksItsSeed() {
        PlanFingerprint plan = new PlanFingerprint(42, 2, 5, 4, 0, List.of(), "h", 10, "r");
        PlanFingerprint other = new PlanFingerprint(42, 2, 5, 4, 8, List.of(), "h", 8, "s");
        Checkpoints.Checkpoint mid = new Checkpoints.Checkpoint("ckpt-00002-000003", new Checkpoints.Cursor(2, 3, 999, 42, "x", plan), null);
        List<String> changes = new ArrayList<>();
        assertEquals(new DistributedTrainer.Start(2, 3, 999), TrainJob.resumeAt(mid, plan, false, changes));
        assertEquals(List.of(), changes);
        UserException e = assertThrows(UserException.class, () -> TrainJob.resumeAt(mid, other, false, new ArrayList<>()));
        assertRefusedNaming(e, "train.max-records 0 -> 8; train records 10 -> 8");
        assertEquals(new DistributedTrainer.Start(2, 0, 999), TrainJob.resumeAt(mid, other, true, changes), "the checkpoint's epoch from its start");
        assertEquals(List.of("train.max-records 0 -> 8", "train records 10 -> 8"), changes);

        Checkpoints.Checkpoint old = new Checkpoints.Checkpoint("ckpt-00001-000000", new Checkpoints.Cursor(1, 0, 500, 42, "x", null), null);
        assertNull(old.cursor().plan());
        assertEquals(new DistributedTrainer.Start(1, 0, 500), TrainJob.resumeAt(old, other, false, new ArrayList<>()),
                "a checkpoint from before plans were recorded resumes when its seed matches");
        PlanFingerprint reseeded = new PlanFingerprint(7, 2, 5, 4, 0, List.of(), "h", 10, "r");
        assertRefusedNaming(assertThrows(UserException.class, () -> TrainJob.resumeAt(old, reseeded, false, new ArrayList<>())), "seed 42 -> 7");
    }
}
