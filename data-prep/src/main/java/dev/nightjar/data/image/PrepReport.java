package dev.nightjar.data.image;

import dev.nightjar.model.LabelMap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code prep-report.json}: files read, kept (by split, and by class and split), dropped by reason
 * (unreadable files, and images the class selection leaves out), and the skipped files with their
 * reasons (the first 1,000).
 */
public record PrepReport(String input, long read, long kept, Map<String, Long> keptBySplit, Map<String, Map<String, Long>> keptByClass,
                         long dropped, Map<String, Long> droppedByReason, List<Skipped> skipped) {

    public record Skipped(String file, String reason) {
    }

    /**
     * @param counts  {@code split:<split>:<label>}, {@code rejected:<reason>} and {@code excluded:<reason>} counts ({@link OutcomeOf})
     * @param rejects the skipped files listed
     * @param labels  the dataset's labels, naming the classes
     */
    static PrepReport of(String input, Map<String, Long> counts, List<PreparedImage> rejects, LabelMap labels) {
        Map<String, Long> bySplit = new LinkedHashMap<>();
        Map<String, Map<String, Long>> byClass = new LinkedHashMap<>();
        labels.labels().forEach(l -> byClass.put(l, new LinkedHashMap<>()));
        Map<String, Long> byReason = new LinkedHashMap<>();
        counts.forEach((k, v) -> {
            if (k.startsWith("split:")) {
                String[] parts = k.split(":");
                bySplit.merge(parts[1], v, Long::sum);
                byClass.get(labels.name(Integer.parseInt(parts[2]))).merge(parts[1], v, Long::sum);
            } else {
                byReason.merge(k.substring(k.indexOf(':') + 1), v, Long::sum);
            }
        });
        long kept = bySplit.values().stream().mapToLong(Long::longValue).sum();
        long dropped = byReason.values().stream().mapToLong(Long::longValue).sum();
        List<Skipped> skipped = rejects.stream().map(r -> new Skipped(r.source, r.reject)).toList();
        return new PrepReport(input, kept + dropped, kept, bySplit, byClass, dropped, byReason, skipped);
    }

    /** Kept examples of one split in {@link OutcomeOf} counts. */
    static long inSplit(Map<String, Long> counts, String split) {
        String prefix = "split:" + split + ":";
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }
}
