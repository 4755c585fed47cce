package dev.nightjar.data.text;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One shard record of a classification dataset: {@code n} documents of varying length, each a
 * label index and token ids (int16 when the vocabulary fits, else int32).
 *
 * <pre>int n, byte width (2 | 4), then per document: int label, int length, length ids; big-endian</pre>
 */
public record LabelledBatch(int[] labels, List<int[]> docs) {
    public static final String KIND = dev.nightjar.model.family.DatasetKind.CLASSIFICATION.manifestName();

    public byte[] encode(int width) {
        int size = 5;
        for (int[] d : docs) {
            size += 8 + d.length * width;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(labels.length).put((byte) width);
        for (int i = 0; i < labels.length; i++) {
            b.putInt(labels[i]).putInt(docs.get(i).length);
            for (int id : docs.get(i)) {
                if (width == 2) {
                    b.putShort((short) id);
                } else {
                    b.putInt(id);
                }
            }
        }
        return b.array();
    }

    public static LabelledBatch decode(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        int n = b.getInt();
        int width = b.get();
        int[] labels = new int[n];
        List<int[]> docs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels[i] = b.getInt();
            int[] ids = new int[b.getInt()];
            for (int s = 0; s < ids.length; s++) {
                ids[s] = width == 2 ? b.getShort() : b.getInt();
            }
            docs.add(ids);
        }
        return new LabelledBatch(labels, docs);
    }
}
