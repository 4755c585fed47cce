package dev.nightjar.data.image;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code prep-report.json}: files read, kept and dropped by reason, and the skipped files with
 * their reasons (the first 1,000).
 */
public record PrepReport(String input, long read, long kept, Map<String, Long> keptBySplit, long dropped,
                         Map<String, Long> droppedByReason, List<Skipped> skipped) {

    public record Skipped(String file, String reason) {
    }

    static PrepReport of(String input, Map<String, Long> counts, List<PreparedImage> rejects) {
        Map<String, Long> bySplit = new LinkedHashMap<>();
        Map<String, Long> byReason = new LinkedHashMap<>();
        counts.forEach((k, v) -> {
            if (k.startsWith("split:")) {
                bySplit.put(k.substring(6), v);
            } else {
                byReason.put(k.substring(9), v);
            }
        });
        long kept = bySplit.values().stream().mapToLong(Long::longValue).sum();
        long dropped = byReason.values().stream().mapToLong(Long::longValue).sum();
        List<Skipped> skipped = rejects.stream().map(r -> new Skipped(r.source, r.reject)).toList();
        return new PrepReport(input, kept + dropped, kept, bySplit, dropped, byReason, skipped);
    }
}
