package dev.nightjar.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.cli.Nightjar;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.storage.Checkpoints;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.train.MetricsLog;
import dev.nightjar.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real training driver killed and resumed: {@code nightjar train} (the main class
 * {@code deploy/nightjar train} runs) in a child JVM on {@code local[2]} with two workers and a
 * checkpoint after every segment, killed with SIGKILL at a seeded random point after it wrote a
 * checkpoint, three times, each time resumed by the same command through TrainJob's own resume
 * logic, ends with exactly the weights, updater state and examples seen of an uninterrupted run.
 */
class TrainKillResumeTest {
    /** Seeds the kill points; -Dkill.seed=N replays another set. */
    static final long SEED = Long.getLong("kill.seed", 5L);
    static final int KILLS = 3;

    @TempDir
    Path tmp;

    @Test
    void aDriverKilledThreeTimesAndResumedEndsExactlyLikeAnUninterruptedRun() throws Exception {
        long t0 = System.nanoTime();
        Path data = prepare();
        Path straight = tmp.resolve("straight");
        // the uninterrupted run alongside the killed ones: on two cores one starts while the other trains
        Process uninterrupted = train(data, straight, tmp.resolve("straight.log"));
        Path run = tmp.resolve("killed");
        List<String> killedAfter = new ArrayList<>();
        try {
            killAndResume(data, run, killedAfter, t0);
            assertEquals(0, exitCode(uninterrupted), "the uninterrupted run: " + tail(tmp.resolve("straight.log")));
        } finally {
            uninterrupted.destroyForcibly();
        }
        System.out.printf("resumed to the end at %.1f s%n", (System.nanoTime() - t0) / 1e9);

        List<JsonNode> resumes = metrics(run).stream().filter(m -> m.has("resumed_from")).toList();
        assertEquals(KILLS, resumes.size(), "each run after a kill resumed from a checkpoint (killed after " + killedAfter + ")");
        for (int k = 1; k < resumes.size(); k++) {
            assertTrue(resumes.get(k).get("examples_seen").asLong() > resumes.get(k - 1).get("examples_seen").asLong(),
                    "each resume starts later than the one before: " + resumes);
        }
        ModelBundle expected = ModelBundle.load(straight.resolve(TrainJob.MODEL_DIR));
        ModelBundle actual = ModelBundle.load(run.resolve(TrainJob.MODEL_DIR));
        assertArrayEquals(expected.network().params().data().asFloat(), actual.network().params().data().asFloat(),
                "the same weights, bit for bit (kill seed " + SEED + ", killed after " + killedAfter + ")");
        assertArrayEquals(expected.network().updaterState().data().asFloat(), actual.network().updaterState().data().asFloat(),
                "the same updater state");
        assertEquals(examplesSeen(straight), examplesSeen(run), "examples seen (provenance)");
        List<JsonNode> a = metrics(straight);
        List<JsonNode> b = metrics(run);
        assertEquals(a.get(a.size() - 1).get("examples_seen").asLong(), b.get(b.size() - 1).get("examples_seen").asLong(),
                "examples seen (metrics.jsonl)");
    }

    /** Runs {@code train} on {@code run} and kills it, {@link #KILLS} times, then runs it to the end. */
    private void killAndResume(Path data, Path run, List<String> killedAfter, long t0) throws Exception {
        Random rnd = new Random(SEED);
        for (int k = 0; k < KILLS; k++) {
            Path log = tmp.resolve("killed-" + k + ".log");
            String before = newestCheckpoint(run);
            Process p = train(data, run, log);
            try {
                // a random point after this run's own 1st or 2nd checkpoint, up to 1.5 segments on: in training, averaging,
                // a metrics or checkpoint write
                int wanted = 1 + rnd.nextInt(2);
                awaitCheckpoints(p, run, before, wanted, log);
                long delay = (long) (rnd.nextDouble() * 1.5 * meanSegmentSeconds(run) * 1000);
                Thread.sleep(delay);
                assertTrue(p.isAlive(), "the run ended before its kill (make it longer): " + tail(log));
                killedAfter.add(newestCheckpoint(run) + " +" + delay + " ms");
            } finally {
                p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block, the run lock left behind
                p.waitFor();
            }
            assertTrue(Files.notExists(run.resolve(TrainJob.MODEL_DIR)), "killed before it wrote its model");
            System.out.printf("killed after %s at %.1f s%n", killedAfter.get(k), (System.nanoTime() - t0) / 1e9);
        }
        Path last = tmp.resolve("resumed.log");
        assertEquals(0, exitCode(train(data, run, last)), "the last resume: " + tail(last));
    }

    /** A small language-model dataset: 39 train records of 8 sequences of 20 characters, no validation split. */
    private Path prepare() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            lines.add("line " + i + " of a small corpus, with words " + (i * 7919 % 1000) + " in it");
        }
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, lines);
        Path data = tmp.resolve("data");
        new TextPrep(SharedSpark.get()).run(new TextPrep.Options(List.of(new TextInput("lines", null, List.of(corpus.toString()))),
                data.toString(), "char", null, 20, 8, 0.0, 0.0, 42, 1, 100, false));
        return data;
    }

    /**
     * Starts {@code nightjar train} in a child JVM, output to {@code log}: the launcher's JVM flags, with C1 only and the
     * serial collector (half the start-up time on two cores; numerics are the same).
     */
    private static Process train(Path data, Path run, Path log) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "@" + jvmOptions(),
                "-cp", System.getProperty("java.class.path"),
                Nightjar.class.getName(), "train", "--data", data.toString(), "--output", run.toString(), "--master", "local[2]"));
        for (String set : List.of("model.learning-rate=0.02", "model.lm.embedding-size=8", "model.lm.lstm-sizes=[16]", "model.lm.tbptt-length=10",
                "train.epochs=2", "train.workers=2", "train.averaging-frequency=1", "train.rounds-per-segment=1", "train.max-records=16",
                "train.threads-per-worker=1", "train.prefetch=0", "train.checkpoint-every=1", "train.checkpoint-keep=2",
                "train.lock-stale-seconds=4")) {
            cmd.addAll(List.of("--set", set));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The exit code of a run, given at most three minutes. */
    private static int exitCode(Process p) throws InterruptedException {
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("a run took more than three minutes");
        }
        return p.exitValue();
    }

    /** conf/jvm.options, the Java 17 flags the launcher gives the driver. */
    private static Path jvmOptions() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("conf/jvm.options"))) {
                return d.resolve("conf/jvm.options");
            }
        }
        throw new IllegalStateException("conf/jvm.options not found above " + Path.of("").toAbsolutePath());
    }

    /** Waits until the run has written {@code n} checkpoints newer than {@code before}. */
    private static void awaitCheckpoints(Process p, Path run, String before, int n, Path log) throws Exception {
        java.util.Set<String> seen = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen.size() < n) {
            if (!p.isAlive()) {
                fail("the run exited (" + p.exitValue() + ") before its checkpoint " + n + ": " + tail(log));
            }
            if (System.nanoTime() > deadline) {
                fail("no checkpoint " + n + " in 120 s: " + tail(log));
            }
            for (String c : checkpoints(run)) {
                if (before == null || c.compareTo(before) > 0) {
                    seen.add(c);
                }
            }
            Thread.sleep(10);
        }
    }

    private static List<String> checkpoints(Path run) throws IOException {
        Path dir = run.resolve(Checkpoints.DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("ckpt-")).sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
    }

    private static String newestCheckpoint(Path run) throws IOException {
        List<String> all = checkpoints(run);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    private static double meanSegmentSeconds(Path run) throws IOException {
        return metrics(run).stream().filter(m -> m.has("wall_seconds")).mapToDouble(m -> m.get("wall_seconds").asDouble()).average().orElseThrow();
    }

    private static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(MetricsLog.FILE))) {
            out.add(Json.MAPPER.readTree(line));
        }
        return out;
    }

    private static long examplesSeen(Path run) throws IOException {
        return Json.MAPPER.readTree(run.resolve(TrainJob.MODEL_DIR).resolve(ModelBundle.PROVENANCE_FILE).toFile()).get("training")
                .get("examples_seen").asLong();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
