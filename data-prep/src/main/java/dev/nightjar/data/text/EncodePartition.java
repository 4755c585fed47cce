package dev.nightjar.data.text;

import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.shard.ShardWriter;
import dev.nightjar.text.TextCleaner;
import dev.nightjar.text.Tokenizer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function2;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Cleans, splits and encodes the documents of one partition and writes one shard per split:
 * each split's token stream (documents separated by the end marker) cut into sequences. A retried
 * task rewrites the same files with the same content. Returns the shards and the partition's counts.
 */
public final class EncodePartition implements Function2<Integer, Iterator<RawDoc>, Iterator<EncodePartition.Result>> {
    private static final long serialVersionUID = 1L;

    private final String shardDir;
    private final Tokenizer tokenizer;
    private final DocumentReader reader;
    private final int seqLen;
    private final int batch;

    /** What one partition wrote. */
    public record Result(List<ShardInfo> shards, TextTally tally) implements Serializable {
    }

    public EncodePartition(String shardDir, Tokenizer tokenizer, DocumentReader reader, int seqLen, int batch) {
        this.shardDir = shardDir;
        this.tokenizer = tokenizer;
        this.reader = reader;
        this.seqLen = seqLen;
        this.batch = batch;
    }

    public static String fileName(String split, int partition) {
        return String.format("%s-%05d.bin", split, partition);
    }

    @Override
    public Iterator<Result> call(Integer partition, Iterator<RawDoc> docs) throws IOException {
        TextTally tally = new TextTally();
        Map<String, Output> outputs = new HashMap<>();
        try {
            while (docs.hasNext()) {
                RawDoc doc = docs.next();
                if (doc.rejected != null) {
                    tally.dropped(doc.rejected);
                    continue;
                }
                String split = reader.split(doc);
                TextCleaner cleaner = new TextCleaner();
                Output[] out = {outputs.get(split)};
                long invalid = DocumentReader.clean(doc, cleaner, chunk -> {
                    if (out[0] == null) {
                        out[0] = outputs.computeIfAbsent(split, s -> open(s, partition));
                    }
                    tokenizer.encode(chunk, out[0].packer::accept);
                });
                if (cleaner.written() > 0) {
                    out[0].packer.accept(Tokenizer.EOS);
                }
                tally.read(cleaner, invalid, split);
            }
            List<ShardInfo> shards = new ArrayList<>();
            for (Map.Entry<String, Output> e : outputs.entrySet()) {
                shards.add(e.getValue().close(e.getKey(), tally));
            }
            return List.of(new Result(shards, tally)).iterator();
        } finally {
            for (Output o : outputs.values()) {
                o.abort();
            }
        }
    }

    private Output open(String split, int partition) {
        String name = fileName(split, partition);
        Path path = new Path(shardDir, name);
        try {
            FileSystem fs = path.getFileSystem(new Configuration());
            FSDataOutputStream stream = fs.create(path, true);
            ShardWriter writer = new ShardWriter(stream, TokenBatch.KIND);
            return new Output(name, stream, writer, new SequencePacker(writer, seqLen, batch, TokenBatch.width(tokenizer.size())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create shard " + path, e);
        }
    }

    /** One split's shard in this partition. */
    private final class Output {
        final String name;
        final FSDataOutputStream stream;
        final ShardWriter writer;
        final SequencePacker packer;
        boolean closed;

        Output(String name, FSDataOutputStream stream, ShardWriter writer, SequencePacker packer) {
            this.name = name;
            this.stream = stream;
            this.writer = writer;
            this.packer = packer;
        }

        ShardInfo close(String split, TextTally tally) throws IOException {
            int tail = packer.finish();
            writer.close();
            closed = true;
            tally.sequences.merge(split, packer.sequences(), Long::sum);
            tally.tokens.merge(split, packer.sequences() * seqLen, Long::sum);
            tally.tokensDroppedTail.merge(split, (long) tail, Long::sum);
            return new ShardInfo(name, split, writer.records(), packer.sequences(), writer.bytes(), writer.fileCrc32());
        }

        void abort() {
            if (!closed) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // the task fails anyway; the temporary output directory is removed by the driver
                }
            }
        }
    }
}
