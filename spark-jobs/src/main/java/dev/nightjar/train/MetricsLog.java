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

/**
 * {@code metrics.jsonl}: one JSON object per segment, flushed as it is written. A resumed run
 * appends, after a line that marks the resume.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String FILE = "metrics.jsonl";
    private final BufferedWriter out;
    private final List<SegmentMetrics> all = new ArrayList<>();

    public MetricsLog(Path runDir) {
        this(runDir, false);
    }

    /** @param append keep the lines already there (a resumed run) */
    public MetricsLog(Path runDir, boolean append) {
        try {
            Files.createDirectories(runDir);
            out = Files.newBufferedWriter(runDir.resolve(FILE), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(FILE), e);
        }
    }

    public void append(SegmentMetrics m) {
        all.add(m);
        line(m);
    }

    /** A line that is not a segment (a resume marker). */
    public void line(Object o) {
        try {
            out.write(Json.line(o));
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
