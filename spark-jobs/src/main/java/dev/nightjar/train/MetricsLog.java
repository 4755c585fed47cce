package dev.nightjar.train;

import dev.nightjar.data.HadoopFiles;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per segment, on any Hadoop file system. Each line
 * rewrites the file under a temporary name and renames it into place, so a killed job leaves a
 * whole file (the log is small: one line per segment). A resumed run appends, after a line that
 * marks the resume.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String FILE = "metrics.jsonl";
    private final String file;
    private final Configuration conf;
    private final StringBuilder text = new StringBuilder();
    private final List<SegmentMetrics> all = new ArrayList<>();

    /** @param append keep the lines already there (a resumed run) */
    public MetricsLog(String runDir, Configuration conf, boolean append) {
        this.file = runDir + "/" + FILE;
        this.conf = conf;
        if (append && HadoopFiles.exists(file, conf)) {
            text.append(HadoopFiles.readString(file, conf));
        }
    }

    public void append(SegmentMetrics m) {
        all.add(m);
        line(m);
    }

    /** A line that is not a segment (a resume marker). */
    public void line(Object o) {
        text.append(Json.line(o)).append('\n');
        HadoopFiles.writeString(file, text.toString(), conf);
    }

    public List<SegmentMetrics> all() {
        return List.copyOf(all);
    }

    @Override
    public void close() {
        // every line is already written
    }
}
