package dev.nightjar.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;

/**
 * Console progress: a progress bar with examples/s and ETA on a terminal; elsewhere a log line
 * at most every {@code intervalSeconds}, and always for the last segment.
 */
public final class TrainingProgress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingProgress.class);
    private final long total;
    private final int intervalSeconds;
    private final ProgressBar bar;
    private final long started = System.nanoTime();
    private long lastLog = System.nanoTime();

    public TrainingProgress(long totalExamples, int intervalSeconds) {
        this.total = totalExamples;
        this.intervalSeconds = intervalSeconds;
        this.bar = System.console() != null
                ? new ProgressBarBuilder().setTaskName("train").setInitialMax(totalExamples).setUnit(" ex", 1)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).showSpeed().build()
                : null;
    }

    public void update(SegmentMetrics m) {
        String msg = String.format(Locale.ROOT, "epoch %d seg %d/%d loss %.4f", m.epoch() + 1, m.segment() + 1, m.segments(), m.trainLoss());
        if (bar != null) {
            bar.stepTo(m.examplesSeen());
            bar.setExtraMessage(msg);
            return;
        }
        long now = System.nanoTime();
        if ((now - lastLog) / 1e9 >= intervalSeconds || m.examplesSeen() >= total) {
            lastLog = now;
            double elapsed = (now - started) / 1e9;
            double rate = m.examplesSeen() / Math.max(1e-9, elapsed);
            long eta = (long) ((total - m.examplesSeen()) / Math.max(1e-9, rate));
            LOG.info(String.format(Locale.ROOT, "%s | %d/%d examples (%.0f%%) | %.0f ex/s | ETA %s", msg, m.examplesSeen(), total,
                    100.0 * m.examplesSeen() / total, rate, Duration.ofSeconds(eta).toString().substring(2).toLowerCase(Locale.ROOT)));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
