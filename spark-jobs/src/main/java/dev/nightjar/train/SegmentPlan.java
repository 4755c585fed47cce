package dev.nightjar.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order the trainer walks shard records in: shuffled per epoch by seed, then cut into
 * segments of equal size (the last one may be shorter). Pure, so a resumed run can rebuild it.
 */
public final class SegmentPlan {
    private SegmentPlan() {
    }

    public static List<List<String>> segments(List<String> records, long seed, int epoch, int recordsPerSegment) {
        List<String> order = new ArrayList<>(records);
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        List<List<String>> segments = new ArrayList<>();
        for (int i = 0; i < order.size(); i += recordsPerSegment) {
            segments.add(List.copyOf(order.subList(i, Math.min(order.size(), i + recordsPerSegment))));
        }
        return segments;
    }
}
