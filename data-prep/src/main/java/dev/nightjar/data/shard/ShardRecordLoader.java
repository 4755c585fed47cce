package dev.nightjar.data.shard;

import dev.nightjar.nd4j.NativeTuning;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;

/**
 * Loads one shard record ({@code <shard>#<record>}) as a minibatch on the executor: opens the
 * shard through Hadoop's FileSystem, checks the record's kind and CRC, and lets the subclass
 * expand the compact payload. Also applies the native CPU tuning in each executor JVM.
 */
public abstract class ShardRecordLoader implements DataSetLoader {
    private static final long serialVersionUID = 1L;

    private static transient Configuration hadoopConf;
    private final String kind;
    private final int threads;

    /**
     * @param kind    the record kind the shards must hold
     * @param threads ND4J threads for the executor JVM (0 = all cores)
     */
    protected ShardRecordLoader(String kind, int threads) {
        this.kind = kind;
        this.threads = threads;
    }

    @Override
    public DataSet load(Source source) throws IOException {
        NativeTuning.apply(threads);
        return load(source.getPath());
    }

    public DataSet load(String path) throws IOException {
        RecordRef ref = RecordRef.parse(path);
        try (ShardReader reader = ShardReader.open(ref.shard(), conf())) {
            if (!kind.equals(reader.kind())) {
                throw new ShardFormatException("shard " + ref.shard() + " holds '" + reader.kind() + "' records, not '" + kind + "'");
            }
            return decode(reader.read(ref.record()), path);
        }
    }

    /** The minibatch of one record's payload; {@code path} names the record in errors. */
    protected abstract DataSet decode(byte[] payload, String path) throws IOException;

    private static synchronized Configuration conf() {
        if (hadoopConf == null) {
            hadoopConf = new Configuration();
        }
        return hadoopConf;
    }
}
