package dev.nightjar.train;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.RandomAccess;

/**
 * The order the trainer walks shard records in: shuffled per epoch by seed, then cut into
 * segments of equal size (the last one may be shorter). Pure, so a resumed run can rebuild it.
 * <p>
 * The shuffle is {@code Collections.shuffle(records, new Random(seed * 1_000_003 + epoch))}, made on
 * record indices rather than on the records: the same swaps in the same order, so the same order,
 * while the driver holds 4 bytes per record instead of a copy of every path. A segment is a view
 * that makes each path when asked (see {@link dev.nightjar.data.shard.RecordList}).
 */
public final class SegmentPlan {
    private SegmentPlan() {
    }

    public static List<List<String>> segments(List<String> records, long seed, int epoch, int recordsPerSegment) {
        int[] order = shuffled(records.size(), new Random(seed * 1_000_003L + epoch));
        List<List<String>> segments = new ArrayList<>();
        for (int i = 0; i < order.length; i += recordsPerSegment) {
            segments.add(Picked.of(records, Arrays.copyOfRange(order, i, Math.min(order.length, i + recordsPerSegment))));
        }
        return segments;
    }

    /** 0..n-1 in the order {@code Collections.shuffle} leaves a list of n elements in with {@code rnd}. */
    static int[] shuffled(int n, Random rnd) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        // java.util.Collections.shuffle: for (int i = size; i > 1; i--) swap(list, i - 1, rnd.nextInt(i))
        for (int i = n; i > 1; i--) {
            int j = rnd.nextInt(i);
            int t = a[i - 1];
            a[i - 1] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Some records of a list, by index, in the given order; a pick of a pick indexes the first list directly. */
    static final class Picked extends AbstractList<String> implements RandomAccess {
        private final List<String> base;
        private final int[] indices;

        private Picked(List<String> base, int[] indices) {
            this.base = base;
            this.indices = indices;
        }

        static List<String> of(List<String> records, int[] indices) {
            if (records instanceof Picked p) {
                int[] composed = new int[indices.length];
                for (int i = 0; i < indices.length; i++) {
                    composed[i] = p.indices[indices[i]];
                }
                return new Picked(p.base, composed);
            }
            // a list without fast indexed access is copied once; the manifest's lists have it
            return new Picked(records instanceof RandomAccess ? records : new ArrayList<>(records), indices);
        }

        @Override
        public String get(int index) {
            return base.get(indices[index]);
        }

        @Override
        public int size() {
            return indices.length;
        }
    }
}
