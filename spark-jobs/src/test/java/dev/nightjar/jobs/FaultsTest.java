package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Splits;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.storage.RunLock;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.train.FaultInjectingHook;
import dev.nightjar.util.Json;
import org.apache.commons.io.FileUtils;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training under faults, on the test JVM's {@code local[2,3]} context (three attempts per task):
 * a task that dies once is retried and the run ends as if nothing had happened; damaged shards stop
 * the run before training, naming each, or are skipped and reported with {@code --skip-corrupt}.
 */
class FaultsTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Manifest manifest;

    static Config config(String... extra) {
        List<String> sets = new ArrayList<>(List.of("model.learning-rate=0.02", "model.lm.embedding-size=8", "model.lm.lstm-sizes=[16]",
                "model.lm.tbptt-length=10", "train.workers=2", "train.averaging-frequency=2", "train.epochs=2", "train.checkpoint-every=0"));
        sets.addAll(List.of(extra));
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(sets));
    }

    @BeforeAll
    static void prepare() throws Exception {
        // four files, four partitions: a train shard each, so there are shards to damage and shards left
        List<String> files = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                lines.add("line " + i + " of part " + f + " of a small corpus with a few words in it");
            }
            Path corpus = tmp.resolve("corpus-" + f + ".txt");
            Files.write(corpus, lines);
            files.add(corpus.toString());
        }
        data = tmp.resolve("data");
        new TextPrep(SharedSpark.get()).run(new TextPrep.Options(List.of(new TextInput("lines", null, files)),
                data.toString(), "char", null, 20, 8, 0.1, 0.1, 42, 1, 100, false));
        manifest = Manifest.read(data.toString(), SharedSpark.get().hadoopConfiguration());
    }

    /** Counts the task attempts that failed with the injected fault. */
    static final class InjectedFailures extends SparkListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() instanceof ExceptionFailure f && f.description().contains(FaultInjectingHook.MESSAGE)) {
                count.incrementAndGet();
            }
        }
    }

    /**
     * Another job takes the run directory over while this one trains (as after a pause longer than the stale
     * timeout): this one stops within seconds with the lock's error, writes no model, and leaves the new
     * holder's lock in place.
     */
    @Test
    void aRunWhoseLockIsTakenOverStopsBeforeWritingItsModel() throws Exception {
        Path run = tmp.resolve("taken-over");
        Path lock = run.resolve(RunLock.FILE);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<TrainJob.Result> job = pool.submit(() -> TrainJob.run(new TrainJob.Options(config("train.epochs=60",
                    "train.rounds-per-segment=1", "train.lock-stale-seconds=4"), data.toString(), run.toString(), false), SharedSpark.get()));
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(run.resolve("metrics.jsonl")) && System.nanoTime() < deadline && !job.isDone()) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(run.resolve("metrics.jsonl")), "training started");
            String other = Json.write(new RunLock.Owner("elsewhere.example", 4242, "2026-01-01T00:00:00Z", "other"));
            Files.writeString(lock, other);
            ExecutionException e = assertThrows(ExecutionException.class, () -> job.get(30, TimeUnit.SECONDS),
                    "the job stops within seconds of losing its lock");
            assertTrue(e.getCause() instanceof UserException && e.getCause().getMessage().contains("lost the lock"), e.getCause().toString());
            assertFalse(Files.exists(run.resolve(TrainJob.MODEL_DIR)), "no model written after the lock was lost");
            assertEquals(other, Files.readString(lock), "the new holder's lock is left alone");
        } finally {
            SharedSpark.get().cancelAllJobs();
            pool.shutdownNow();
        }
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheRunEndsAsWithoutTheFault() throws Exception {
        TrainJob.Result clean = TrainJob.run(new TrainJob.Options(config("train.rounds-per-segment=1"), data.toString(), tmp.resolve("clean").toString(), false),
                SharedSpark.get());
        InjectedFailures failures = new InjectedFailures();
        SharedSpark.get().sc().addSparkListener(failures);
        TrainJob.Result faulty;
        try {
            faulty = TrainJob.run(new TrainJob.Options(config("train.inject-fault=first-attempt", "train.rounds-per-segment=1"), data.toString(),
                    tmp.resolve("faulty").toString(), false), SharedSpark.get());
        } finally {
            SharedSpark.get().sc().listenerBus().waitUntilEmpty(); // listeners hear of tasks asynchronously
            SharedSpark.get().sc().removeSparkListener(failures);
        }
        assertEquals(1, failures.count.get(), "the injected fault struck one task attempt (one averaging round in the first segment)");
        long expected = manifest.examples(Splits.TRAIN) * 2;
        assertEquals(expected, clean.segments().get(clean.segments().size() - 1).examplesSeen());
        assertEquals(expected, faulty.segments().get(faulty.segments().size() - 1).examplesSeen(),
                "the failed attempt's examples are not counted, the retry's are");
        double diff = Transforms.abs(clean.bundle().network().params().sub(faulty.bundle().network().params())).maxNumber().doubleValue();
        assertTrue(diff < 1e-6, "the retried run's weights differ from the clean run's by " + diff);
    }

    @Test
    void damagedShardsStopTheRunBeforeTrainingNamingEachOrAreSkippedWithSkipCorrupt() throws Exception {
        Path copy = tmp.resolve("damaged");
        FileUtils.copyDirectory(data.toFile(), copy.toFile());
        List<ShardInfo> train = manifest.shards().stream().filter(s -> s.split().equals(Splits.TRAIN)).toList();
        assertTrue(train.size() >= 3, "train shards: " + train.size());
        Path flipped = copy.resolve(Manifest.SHARD_DIR).resolve(train.get(0).file());
        try (RandomAccessFile f = new RandomAccessFile(flipped.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xff);
        }
        Files.deleteIfExists(flipped.resolveSibling("." + flipped.getFileName() + ".crc")); // Hadoop's own checksum would catch it first
        Path missing = copy.resolve(Manifest.SHARD_DIR).resolve(train.get(1).file());
        Files.delete(missing);

        UserException e = assertThrows(UserException.class, () -> TrainJob.run(new TrainJob.Options(config(), copy.toString(),
                tmp.resolve("stopped").toString(), false), SharedSpark.get()));
        assertTrue(e.getMessage().contains("2 of the dataset's shards failed verification"), e.getMessage());
        assertTrue(e.getMessage().contains(train.get(0).file() + ": CRC-32 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(train.get(1).file() + ": missing"), e.getMessage());
        assertTrue(e.getMessage().contains("--skip-corrupt"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("stopped/model")), "nothing trained");

        TrainJob.Result r = TrainJob.run(new TrainJob.Options(config(), copy.toString(), tmp.resolve("skipped").toString(), false, null,
                false, false, true), SharedSpark.get());
        long good = train.stream().skip(2).mapToLong(ShardInfo::examples).sum();
        assertEquals(good * 2, r.segments().get(r.segments().size() - 1).examplesSeen(), "trained on the sound shards only");
        Map<?, ?> training = (Map<?, ?>) r.bundle().provenance().get("training");
        List<?> skipped = (List<?>) training.get("skipped_shards");
        assertEquals(2, skipped.size(), "provenance: " + training);
        String report = Files.readString(tmp.resolve("skipped/report.html"));
        assertTrue(report.contains("skipped corrupt shards") && report.contains(train.get(1).file()), "the report names them");
    }
}
