package dev.nightjar.data.shard;

import dev.nightjar.data.Manifest;
import dev.nightjar.data.ShardInfo;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.List;

/**
 * Checks the shards a job is about to read against the manifest before it starts, one Spark task
 * per shard: each must be present, of the recorded size and match the recorded CRC-32 of the
 * whole file. One read of the data, so that a damaged dataset fails in seconds with every bad
 * shard named instead of hours into training with the first.
 */
public final class ShardVerifier {
    /** A shard that failed, with the reason. */
    public record Bad(String path, String reason) implements Serializable {
        @Override
        public String toString() {
            return path + ": " + reason;
        }
    }

    private ShardVerifier() {
    }

    /** The bad shards among those of the given splits, in manifest order. */
    public static List<Bad> verify(JavaSparkContext sc, String datasetDir, Manifest manifest, List<String> splits) {
        List<ShardInfo> shards = manifest.shards().stream().filter(s -> splits.contains(s.split())).toList();
        if (shards.isEmpty()) {
            return List.of();
        }
        return sc.parallelize(shards, Math.min(shards.size(), Math.max(1, sc.defaultParallelism() * 4)))
                .flatMap(new VerifyShard(datasetDir + "/" + Manifest.SHARD_DIR)).collect();
    }
}
