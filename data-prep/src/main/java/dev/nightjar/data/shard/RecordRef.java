package dev.nightjar.data.shard;

import dev.nightjar.UserException;

/**
 * Names one record inside a shard, as a training path: {@code <shard uri>#<record index>}.
 * One path per minibatch keeps HDFS free of millions of tiny files.
 */
public record RecordRef(String shard, int record) {
    public static RecordRef parse(String path) {
        int hash = path.lastIndexOf('#');
        if (hash <= 0) {
            throw new UserException("not a shard record path (expected <shard>#<record>): " + path);
        }
        try {
            return new RecordRef(path.substring(0, hash), Integer.parseInt(path.substring(hash + 1)));
        } catch (NumberFormatException e) {
            throw new UserException("not a shard record path (expected <shard>#<record>): " + path);
        }
    }

    @Override
    public String toString() {
        return shard + "#" + record;
    }
}
