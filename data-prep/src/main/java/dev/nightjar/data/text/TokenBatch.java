package dev.nightjar.data.text;

import java.nio.ByteBuffer;

/**
 * One shard record of a language-model dataset: {@code n} sequences of {@code length} token ids
 * (seq-len + 1: inputs and next-token targets overlap by one), stored as int16 when the
 * vocabulary fits, else int32.
 *
 * <pre>int n, int length, byte width (2 | 4), then n x length ids, big-endian</pre>
 */
public record TokenBatch(int n, int length, int[] ids) {
    public static final String KIND = dev.nightjar.model.family.DatasetKind.LANGUAGE_MODEL.manifestName();

    public TokenBatch {
        if (ids.length != (long) n * length) {
            throw new IllegalArgumentException(ids.length + " ids are not " + n + " sequences of " + length);
        }
    }

    public static int width(int vocabSize) {
        return vocabSize <= Short.MAX_VALUE ? 2 : 4;
    }

    public byte[] encode(int width) {
        ByteBuffer b = ByteBuffer.allocate(9 + ids.length * width);
        b.putInt(n).putInt(length).put((byte) width);
        for (int id : ids) {
            if (width == 2) {
                b.putShort((short) id);
            } else {
                b.putInt(id);
            }
        }
        return b.array();
    }

    public static TokenBatch decode(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        int n = b.getInt();
        int length = b.getInt();
        int width = b.get();
        int[] ids = new int[n * length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = width == 2 ? b.getShort() : b.getInt();
        }
        return new TokenBatch(n, length, ids);
    }
}
