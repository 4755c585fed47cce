package dev.nightjar.data.text;

import dev.nightjar.data.shard.ShardWriter;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Cuts one token stream into sequences of {@code seqLen + 1} tokens (consecutive sequences
 * share one token, so every token is a target once) and packs them into minibatch records.
 * A block of {@code batch x batch} sequences is dealt out across {@code batch} records, so a
 * minibatch holds sequences from far apart in the stream, in bounded memory.
 */
public final class SequencePacker {
    private final ShardWriter writer;
    private final int length;
    private final int batch;
    private final int width;
    private final int[] window;
    private int filled;
    private final int[] block;
    private int blockSequences;
    private long sequences;

    public SequencePacker(ShardWriter writer, int seqLen, int batch, int width) {
        this.writer = writer;
        this.length = seqLen + 1;
        this.batch = batch;
        this.width = width;
        this.window = new int[length];
        this.block = new int[batch * batch * length];
    }

    public void accept(int token) {
        window[filled++] = token;
        if (filled == length) {
            System.arraycopy(window, 0, block, blockSequences * length, length);
            blockSequences++;
            sequences++;
            window[0] = window[length - 1];
            filled = 1;
            if (blockSequences == batch * batch) {
                flushBlock();
            }
        }
    }

    /** Writes what the block holds; returns the tokens left over, too few for a sequence. */
    public int finish() {
        flushBlock();
        return sequences == 0 ? filled : filled - 1;
    }

    public long sequences() {
        return sequences;
    }

    private void flushBlock() {
        int m = blockSequences;
        int records = (m + batch - 1) / batch;
        for (int r = 0; r < records; r++) {
            int n = (m - r + records - 1) / records;
            int[] ids = new int[n * length];
            for (int k = 0; k < n; k++) {
                System.arraycopy(block, (r + k * records) * length, ids, k * length, length);
            }
            try {
                writer.writeRecord(new TokenBatch(n, length, ids).encode(width), n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        blockSequences = 0;
    }
}
