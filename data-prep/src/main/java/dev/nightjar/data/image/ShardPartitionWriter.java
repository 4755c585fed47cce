package dev.nightjar.data.image;

import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.shard.ShardWriter;
import dev.nightjar.model.ImageShape;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

import java.util.Iterator;
import java.util.List;

/**
 * Writes one partition as one shard file of minibatch records. A retried task rewrites the same
 * file with the same content, since the partition's order is fixed by its sort key.
 */
public final class ShardPartitionWriter implements Function2<Integer, Iterator<Tuple2<Long, PreparedImage>>, Iterator<ShardInfo>> {
    private static final long serialVersionUID = 1L;

    private final String shardDir;
    private final String split;
    private final ImageShape shape;
    private final int batchSize;

    public ShardPartitionWriter(String shardDir, String split, ImageShape shape, int batchSize) {
        this.shardDir = shardDir;
        this.split = split;
        this.shape = shape;
        this.batchSize = batchSize;
    }

    public static String fileName(String split, int partition) {
        return String.format("%s-%05d.bin", split, partition);
    }

    @Override
    public Iterator<ShardInfo> call(Integer partition, Iterator<Tuple2<Long, PreparedImage>> images) throws Exception {
        if (!images.hasNext()) {
            return List.<ShardInfo>of().iterator();
        }
        String name = fileName(split, partition);
        Path path = new Path(shardDir, name);
        short[] labels = new short[batchSize];
        byte[] pixels = new byte[batchSize * shape.pixels()];
        ShardWriter writer;
        try (FSDataOutputStream out = path.getFileSystem(new Configuration()).create(path, true)) {
            writer = new ShardWriter(out, ImageBatch.KIND);
            int n = 0;
            while (images.hasNext()) {
                PreparedImage img = images.next()._2();
                labels[n] = (short) img.label;
                System.arraycopy(img.pixels, 0, pixels, n * shape.pixels(), shape.pixels());
                if (++n == batchSize) {
                    writer.writeRecord(new ImageBatch(shape, labels, pixels).encode(), n);
                    n = 0;
                }
            }
            if (n > 0) {
                writer.writeRecord(new ImageBatch(shape, java.util.Arrays.copyOf(labels, n),
                        java.util.Arrays.copyOf(pixels, n * shape.pixels())).encode(), n);
            }
            writer.close();
        }
        return List.of(new ShardInfo(name, split, writer.records(), writer.examples(), writer.bytes(), writer.fileCrc32())).iterator();
    }
}
