package dev.nightjar.data;

/**
 * One shard file as listed in the manifest.
 *
 * @param file     file name under {@code shards/}
 * @param split    train | validation | test
 * @param records  minibatch records in it
 * @param examples examples in it
 * @param bytes    file size
 * @param crc32    CRC-32 of the whole file
 */
public record ShardInfo(String file, String split, int records, long examples, long bytes, long crc32)
        implements java.io.Serializable {
}
