package dev.nightjar.data.shard;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The records of some shards as training paths ({@code <shard uri>#<record>}), shard after shard,
 * record after record, held as the shard table alone: one URI and one count per shard. A path is
 * made when it is asked for, so a driver walking millions of records holds a few bytes per shard,
 * not a string per record. Immutable; equal to any list of the same paths in the same order.
 */
public final class RecordList extends AbstractList<String> implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] shards;
    /** ends[s]: records in shards 0..s, so shard s holds the list's indices ends[s-1] (or 0) to ends[s]-1 */
    private final int[] ends;

    /**
     * @param shardUris the shards, in order
     * @param records   records in each shard
     */
    public RecordList(List<String> shardUris, List<Integer> records) {
        if (shardUris.size() != records.size()) {
            throw new IllegalArgumentException(shardUris.size() + " shards but " + records.size() + " record counts");
        }
        shards = shardUris.toArray(new String[0]);
        ends = new int[shards.length];
        long total = 0;
        for (int s = 0; s < shards.length; s++) {
            int n = records.get(s);
            if (n < 0) {
                throw new IllegalArgumentException("shard " + shards[s] + " has " + n + " records");
            }
            total += n;
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("more than " + Integer.MAX_VALUE + " records");
            }
            ends[s] = (int) total;
        }
    }

    @Override
    public int size() {
        return ends.length == 0 ? 0 : ends[ends.length - 1];
    }

    @Override
    public String get(int index) {
        int s = shardOf(index);
        return shards[s] + "#" + (index - start(s));
    }

    /** The URI of the shard that holds the record at {@code index}. */
    public String shard(int index) {
        return shards[shardOf(index)];
    }

    /** The record's index inside its shard. */
    public int record(int index) {
        return index - start(shardOf(index));
    }

    /** The same records without those of the given shards (by URI), in the same order. */
    public RecordList withoutShards(Collection<String> shardUris) {
        Set<String> skip = new HashSet<>(shardUris);
        List<String> kept = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int s = 0; s < shards.length; s++) {
            if (!skip.contains(shards[s])) {
                kept.add(shards[s]);
                counts.add(ends[s] - start(s));
            }
        }
        return new RecordList(kept, counts);
    }

    private int start(int shard) {
        return shard == 0 ? 0 : ends[shard - 1];
    }

    /** The first shard whose end lies past {@code index} (shards without records are passed over). */
    private int shardOf(int index) {
        Objects.checkIndex(index, size());
        int lo = 0;
        int hi = ends.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] > index) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
