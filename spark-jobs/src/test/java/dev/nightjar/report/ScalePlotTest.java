package dev.nightjar.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What bench/scale.sh reports is read right from /usr/bin/time, the progress log and the sampled CPU ticks. */
class ScalePlotTest {
    @TempDir
    Path dir;

    @Test
    void readsWallCpuAndRssFromTimeVerbose() throws Exception {
        Path f = dir.resolve("t.time");
        Files.writeString(f, """
                \tCommand being timed: "nice -n 19 deploy/nightjar prepare images"
                \tUser time (seconds): 17.01
                \tSystem time (seconds): 2.11
                \tPercent of CPU this job got: 19%
                \tElapsed (wall clock) time (h:mm:ss or m:ss): 1:38.10
                \tMaximum resident set size (kbytes): 767488
                \tExit status: 0
                """);
        Map<String, Object> m = ScalePlot.time(f);
        assertEquals(98.1, (double) m.get("wall_s"), 1e-9);
        assertEquals(19.12, (double) m.get("cpu_s"), 1e-9);
        assertEquals(749L, m.get("max_rss_mb"));
    }

    @Test
    void steadyStateCpuPerImageComesFromTheProgressLinesInsideTheSampledRange() throws Exception {
        // 10:00:00 = 36,000 s of the day; the JVM spends 20 s before training, then 1 CPU-s per 1,000 images
        Path cpu = dir.resolve("t.cpu");
        StringBuilder ticks = new StringBuilder();
        long day = 1_796_256_000L; // a midnight UTC
        for (int s = 0; s <= 100; s += 2) {
            double cpuS = s < 20 ? s : 20 + (s - 20) * 0.5;
            ticks.append(day + 36_000 + s).append(".000 ").append(Math.round(cpuS * 100)).append('\n');
        }
        Files.writeString(cpu, ticks);
        Path log = dir.resolve("t.out");
        // 500 images per second of wall from 10:00:20
        Files.writeString(log, String.join("\n", List.of(
                "10:00:05 INFO  Nightjar: starting",
                "10:00:30 INFO  TrainingProgress: epoch 1 seg 2/20 loss 1.0 | 5000/100000 examples (5%) | 500 ex/s | ETA 3m",
                "10:01:00 INFO  TrainingProgress: epoch 1 seg 6/20 loss 0.9 | 20000/100000 examples (20%) | 500 ex/s | ETA 2m",
                "10:01:20 INFO  TrainingProgress: epoch 1 seg 8/20 loss 0.8 | 30000/100000 examples (30%) | 500 ex/s | ETA 2m",
                "10:05:00 INFO  TrainingProgress: after the samples end, left out | 99000/100000 examples")));
        Map<String, Object> m = ScalePlot.steadyState(log, cpu, 100_000, true, 55.0, 0);
        assertEquals(1.0, (double) m.get("steady_cpu_s_per_1000_images"), 0.01);
        assertEquals(2.0, (double) m.get("steady_wall_s_per_1000_images"), 0.01);
        assertEquals(20.0, (double) m.get("cpu_before_training_s"), 0.01);
        assertEquals(120.0, (double) m.get("epoch_cpu_s"), 0.01, "stopped: 20 s + 100,000 images x 1 ms");
        assertEquals(200.0, (double) m.get("epoch_wall_s"), 0.01);
        assertEquals(false, m.get("epoch_complete"));
    }

    @Test
    void marginalCostIsEqualForLinearGrowth() {
        // prepare 5 s + 0.25 s per 1,000 images, training 10 s + 0.5 s per 1,000 images
        List<Map<String, Object>> rows = List.of(row(1, 20, 40), row(4, 65, 130), row(16, 245, 490));
        List<Map<String, Object>> m = ScalePlot.marginal(rows);
        assertEquals(2, m.size());
        for (Map<String, Object> step : m) {
            assertEquals(0.25, (double) step.get("prepare_cpu_s_per_1000_images"), 1e-9);
            assertEquals(0.5, (double) step.get("train_cpu_s_per_1000_images"), 1e-9);
        }
        assertTrue(m.get(1).get("to").equals(16));
    }

    private static Map<String, Object> row(int k, double prepareCpu, double trainCpu) {
        return Map.of("multiple", k, "images", 60_000L * k, "prepare", Map.of("cpu_s", prepareCpu),
                "train", Map.of("epoch_cpu_s", trainCpu, "epoch_wall_s", 2.0 * trainCpu));
    }
}
