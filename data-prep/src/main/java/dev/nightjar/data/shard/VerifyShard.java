package dev.nightjar.data.shard;

import dev.nightjar.data.ShardInfo;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;

/** One shard against its manifest entry: nothing when it is sound, else the reason. */
public final class VerifyShard implements FlatMapFunction<ShardInfo, ShardVerifier.Bad> {
    private static final long serialVersionUID = 1L;

    private final String shardDir;

    public VerifyShard(String shardDir) {
        this.shardDir = shardDir;
    }

    @Override
    public Iterator<ShardVerifier.Bad> call(ShardInfo shard) {
        String path = shardDir + "/" + shard.file();
        String reason = check(path, shard, new Configuration());
        return (reason == null ? List.<ShardVerifier.Bad>of() : List.of(new ShardVerifier.Bad(path, reason))).iterator();
    }

    static String check(String path, ShardInfo shard, Configuration conf) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(p);
            } catch (FileNotFoundException e) {
                return "missing";
            }
            if (status.getLen() != shard.bytes()) {
                return "size " + status.getLen() + " bytes, the manifest says " + shard.bytes() + " (truncated or replaced)";
            }
            CRC32 crc = new CRC32();
            byte[] buf = new byte[1 << 16];
            try (InputStream in = fs.open(p)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    crc.update(buf, 0, n);
                }
            }
            return crc.getValue() == shard.crc32() ? null : "CRC-32 mismatch (corrupt data)";
        } catch (ChecksumException e) {
            return "fails the file system's checksum at byte " + e.getPos() + " (corrupt data)";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
