package dev.nightjar.data.image;

import org.apache.spark.api.java.function.Function2;

import java.io.Serializable;
import java.util.Arrays;

/** The {@code cap} smallest ranks seen, sorted: a bounded, mergeable aggregate (its size never grows with the data). */
public final class SmallestRanks implements Serializable {
    private static final long serialVersionUID = 1L;

    private int cap;
    private long[] values;
    private int size;

    public SmallestRanks(int cap) {
        this.cap = cap;
        this.values = new long[Math.min(cap, 1024)];
    }

    public SmallestRanks add(long v) {
        if (size == cap && v >= values[size - 1]) {
            return this;
        }
        int at = Arrays.binarySearch(values, 0, size, v);
        at = at < 0 ? -at - 1 : at;
        if (size < cap) {
            if (size == values.length) {
                values = Arrays.copyOf(values, (int) Math.min(cap, 2L * values.length));
            }
            size++;
        }
        System.arraycopy(values, at, values, at + 1, size - 1 - at);
        values[at] = v;
        return this;
    }

    public SmallestRanks merge(SmallestRanks o) {
        for (int i = 0; i < o.size; i++) {
            add(o.values[i]);
        }
        return this;
    }

    public int size() {
        return size;
    }

    /** The n-th smallest rank (1-based). */
    public long nth(int n) {
        return values[n - 1];
    }

    public static final class Add implements Function2<SmallestRanks, Long, SmallestRanks> {
        private static final long serialVersionUID = 1L;

        @Override
        public SmallestRanks call(SmallestRanks s, Long v) {
            return s.add(v);
        }
    }

    public static final class Merge implements Function2<SmallestRanks, SmallestRanks, SmallestRanks> {
        private static final long serialVersionUID = 1L;

        @Override
        public SmallestRanks call(SmallestRanks a, SmallestRanks b) {
            return a.merge(b);
        }
    }
}
