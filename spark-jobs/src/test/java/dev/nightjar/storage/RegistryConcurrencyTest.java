package dev.nightjar.storage;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registrations at the same time, on a real local registry: each copies its model into the next version
 * number, and then, all together (gates finishing at once), moves LATEST as the gate does
 * ({@link Registry#advanceLatest}). Version numbers are
 * unique, every version holds its own registration, and LATEST only ever moves forward, ending on
 * the highest version.
 */
class RegistryConcurrencyTest {
    private static final int JOBS = 5;
    private static final int ROUNDS = 3;

    @TempDir
    Path tmp;

    @Test
    void concurrentRegistrationsGetUniqueVersionsAndLatestNeverMovesBack() throws Exception {
        Path model = tmp.resolve("model");
        Files.createDirectories(model);
        Files.writeString(model.resolve("model.zip"), "weights");
        Registry reg = new Registry(tmp.resolve("registry").toString(), new Configuration());
        ExecutorService pool = Executors.newFixedThreadPool(JOBS + 1);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String name = "m" + round;
                CountDownLatch start = new CountDownLatch(1);
                CountDownLatch gated = new CountDownLatch(JOBS);
                AtomicBoolean running = new AtomicBoolean(true);
                ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
                Future<?> watcher = pool.submit(() -> {
                    while (running.get()) {
                        String v = reg.latest(name);
                        if (v != null && (seen.isEmpty() || !v.equals(last(seen)))) {
                            seen.add(v);
                        }
                    }
                    return null;
                });
                List<Future<String>> jobs = new ArrayList<>();
                for (int j = 0; j < JOBS; j++) {
                    String job = "job-" + j;
                    jobs.add(pool.submit(() -> {
                        start.await();
                        String version = reg.add(name, model.toString(), Map.of("run", job));
                        gated.countDown(); // the gates of all of them finish together
                        gated.await();
                        reg.advanceLatest(name, version, "gate");
                        return job + "=" + version;
                    }));
                }
                start.countDown();
                List<String> made = new ArrayList<>();
                for (Future<String> f : jobs) {
                    made.add(f.get(60, TimeUnit.SECONDS));
                }
                running.set(false);
                watcher.get(10, TimeUnit.SECONDS);
                if (!reg.latest(name).equals(last(seen))) {
                    seen.add(reg.latest(name));
                }

                List<String> versions = made.stream().map(s -> s.substring(s.indexOf('=') + 1)).sorted().toList();
                assertEquals(IntStream.rangeClosed(1, JOBS).mapToObj(i -> String.format("v%04d", i)).toList(), versions,
                        "round " + round + ": one version number each " + made);
                assertEquals(versions, reg.versions(name), "round " + round + ": the registry lists exactly those versions");
                for (String m : made) {
                    String job = m.substring(0, m.indexOf('='));
                    String version = m.substring(m.indexOf('=') + 1);
                    assertEquals(job, reg.registration(name, version).get("run"), round + ": " + version + " holds its own registration");
                    assertTrue(Files.isRegularFile(tmp.resolve("registry").resolve(name).resolve(version).resolve("model.zip")),
                            round + ": " + version + " holds the model, not a nested copy");
                }
                assertEquals(String.format("v%04d", JOBS), reg.latest(name), "round " + round + ": LATEST ends on the highest version");
                List<Integer> order = seen.stream().map(Registry::number).toList();
                for (int i = 1; i < order.size(); i++) {
                    assertTrue(order.get(i) > order.get(i - 1), "round " + round + ": LATEST moved back: " + seen);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String last(ConcurrentLinkedQueue<String> q) {
        String last = null;
        for (String s : q) {
            last = s;
        }
        return last;
    }
}
