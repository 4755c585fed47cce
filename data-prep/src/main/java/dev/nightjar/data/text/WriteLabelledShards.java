package dev.nightjar.data.text;

import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.shard.ShardWriter;
import dev.nightjar.text.ClassifierInput;
import dev.nightjar.text.Tokenizer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Encodes one partition's labelled documents (rows of split, label_index, cleaned text, sorted by
 * split, then in shuffled order) for the classifier and writes one shard per split, {@code batch}
 * documents per record. Every {@value #BUCKET} records' documents are sorted by length before they
 * are cut into records, so a record is padded little and the records still mix the corpus. A
 * retried task rewrites the same files.
 */
public final class WriteLabelledShards implements Function2<Integer, Iterator<Row>, Iterator<WriteLabelledShards.Written>> {
    private static final long serialVersionUID = 1L;

    private final String shardDir;
    private final Tokenizer tokenizer;
    private final int maxLen;
    private final int batch;
    private final int width;
    static final int BUCKET = 16;

    /**
     * @param truncated documents cut to max-len
     * @param tokens    ids stored, end markers included
     */
    public record Written(ShardInfo shard, long truncated, long tokens) implements java.io.Serializable {
    }

    public WriteLabelledShards(String shardDir, Tokenizer tokenizer, int maxLen, int batch) {
        this.shardDir = shardDir;
        this.tokenizer = tokenizer;
        this.maxLen = maxLen;
        this.batch = batch;
        this.width = TokenBatch.width(tokenizer.size());
    }

    @Override
    public Iterator<Written> call(Integer partition, Iterator<Row> rows) throws IOException {
        List<Written> shards = new ArrayList<>();
        long truncated = 0;
        long tokens = 0;
        String split = null;
        ShardWriter writer = null;
        FSDataOutputStream stream = null;
        List<Integer> labels = new ArrayList<>();
        List<int[]> docs = new ArrayList<>();
        long examples = 0;
        try {
            while (rows.hasNext()) {
                Row r = rows.next();
                if (!r.getString(0).equals(split)) {
                    if (writer != null) {
                        shards.add(new Written(close(split, partition, writer, labels, docs, examples), truncated, tokens));
                    }
                    truncated = 0;
                    tokens = 0;
                    split = r.getString(0);
                    Path path = new Path(shardDir, EncodePartition.fileName(split, partition));
                    stream = path.getFileSystem(new Configuration()).create(path, true);
                    writer = new ShardWriter(stream, LabelledBatch.KIND);
                    examples = 0;
                }
                labels.add(r.getInt(1));
                ClassifierInput.Encoded doc = ClassifierInput.encode(r.getString(2), tokenizer, maxLen);
                docs.add(doc.ids());
                tokens += doc.ids().length;
                truncated += doc.truncated() ? 1 : 0;
                examples++;
                if (docs.size() == batch * BUCKET) {
                    flush(writer, labels, docs);
                }
            }
            if (writer != null) {
                shards.add(new Written(close(split, partition, writer, labels, docs, examples), truncated, tokens));
                writer = null;
            }
            return shards.iterator();
        } finally {
            if (writer != null) {
                stream.close();
            }
        }
    }

    /** Writes the buffered documents, sorted by length (stable), as records of {@code batch}. */
    private void flush(ShardWriter writer, List<Integer> labels, List<int[]> docs) throws IOException {
        Integer[] order = new Integer[docs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> docs.get(i).length));
        for (int start = 0; start < order.length; start += batch) {
            int n = Math.min(batch, order.length - start);
            int[] y = new int[n];
            List<int[]> x = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                y[i] = labels.get(order[start + i]);
                x.add(docs.get(order[start + i]));
            }
            writer.writeRecord(new LabelledBatch(y, x).encode(width), n);
        }
        labels.clear();
        docs.clear();
    }

    private ShardInfo close(String split, int partition, ShardWriter writer, List<Integer> labels, List<int[]> docs, long examples)
            throws IOException {
        flush(writer, labels, docs);
        writer.close();
        return new ShardInfo(EncodePartition.fileName(split, partition), split, writer.records(), examples, writer.bytes(), writer.fileCrc32());
    }
}
