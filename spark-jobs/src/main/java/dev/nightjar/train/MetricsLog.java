package dev.nightjar.train;

import dev.nightjar.util.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** {@code metrics.jsonl}: one JSON object per segment, flushed as it is written. */
public final class MetricsLog implements AutoCloseable {
    public static final String FILE = "metrics.jsonl";
    private final BufferedWriter out;
    private final List<SegmentMetrics> all = new ArrayList<>();

    public MetricsLog(Path runDir) {
        try {
            Files.createDirectories(runDir);
            out = Files.newBufferedWriter(runDir.resolve(FILE), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(FILE), e);
        }
    }

    public void append(SegmentMetrics m) {
        all.add(m);
        try {
            out.write(Json.line(m));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<SegmentMetrics> all() {
        return List.copyOf(all);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
