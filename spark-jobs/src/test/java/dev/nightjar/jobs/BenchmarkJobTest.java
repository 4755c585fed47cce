package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.train.SegmentMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchmarkJobTest {

    /**
     * Documents of exactly 10 characters, so every minibatch is 11 ids (the end marker first): the workload's time
     * steps and FLOPs come from the records as trained, and each run's GFLOP/s and share outside fit from its timed
     * segments.
     */
    @Test
    void reportsTheWorkloadInFlopsAndTheShareOfEachRunOutsideFit(@TempDir Path tmp) throws Exception {
        List<String> lines = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < 240; i++) {
            lines.add(i % 2 == 0 ? String.format("good%06d,pos", i) : String.format("awful%05d,neg", i));
        }
        Path csv = tmp.resolve("docs.csv");
        Files.write(csv, lines);
        String data = tmp.resolve("data").toString();
        new ClassificationPrep(SharedSpark.get()).run(new ClassificationPrep.Options(new TextInput("csv", "text", List.of(csv.toString())),
                "label", List.of("neg", "pos"), data, "char", null, 64, 8, 0.0, 0.0, 42, 1, 100, false, 0, 0, false));
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("model.lm.embedding-size=8",
                "model.lm.lstm-sizes=[24]", "model.classifier.dense-units=16", "train.workers=2", "train.averaging-frequency=1",
                "train.rounds-per-segment=1")));

        BenchmarkJob.Result result = BenchmarkJob.run(c, data, 8, SharedSpark.get());

        BenchmarkJob.Workload w = result.workload();
        assertEquals("text-classifier", w.family());
        assertEquals(8, w.records());
        assertTrue(w.examples() > 8 && w.examples() <= 64, "8 records of up to 8 (a shard's last may be short): " + w.examples());
        assertEquals(11.0, w.timeStepsPerExample(), 1e-9);
        long forward = 2L * 4 * (8 + 24) * 24 * 11 + 2L * 24 * 16 + 2L * 16 * 2;
        assertEquals(3.0 * forward, w.trainingFlopsPerExample(), 1e-6);
        assertEquals(2, result.runs().size());
        for (BenchmarkJob.Run r : result.runs()) {
            assertTrue(r.examples() > 0 && r.examples() < w.examples(), r.name() + ": 4 segments of 2 records, the first left out");
            assertTrue(r.averagingSeconds() > 0 && r.averagingSeconds() < r.seconds(), r.toString());
            assertEquals(r.averagingSeconds() / r.seconds(), r.averagingShare(), 1e-12);
            assertEquals(r.examplesPerSecond() * 3.0 * forward / 1e9, r.gflopsPerSecond(), 1e-9 * r.gflopsPerSecond());
        }
    }

    @Test
    void summariseLeavesTheWarmUpSegmentOut() {
        List<SegmentMetrics> segs = List.of(segment(10, 5.0, 4.0), segment(30, 2.0, 0.5), segment(50, 2.0, 0.5));
        BenchmarkJob.Run r = BenchmarkJob.summarise("x", 2, segs, 100, 1e8);
        assertEquals(40, r.examples());
        assertEquals(4.0, r.seconds(), 1e-12);
        assertEquals(10.0, r.examplesPerSecond(), 1e-12);
        assertEquals(1000.0, r.tokensPerSecond(), 1e-9);
        assertEquals(1.0, r.averagingSeconds(), 1e-12);
        assertEquals(0.25, r.averagingShare(), 1e-12);
        assertEquals(1.0, r.gflopsPerSecond(), 1e-12);
    }

    private static SegmentMetrics segment(long seen, double wall, double outside) {
        return new SegmentMetrics(0, 0, 3, seen, 0.5, null, 0.001, 0, wall - outside, outside, wall, null);
    }
}
