package dev.nightjar.data.image;

import dev.nightjar.model.ImageShape;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One shard record of images: a minibatch stored compactly, pixels as bytes and labels as int16.
 * The loader expands it to floats on the executor.
 */
public record ImageBatch(ImageShape shape, short[] labels, byte[] pixels) {
    public static final String KIND = dev.nightjar.model.family.DatasetKind.IMAGE.manifestName();

    public ImageBatch {
        if (pixels.length != (long) labels.length * shape.pixels()) {
            throw new IllegalArgumentException("pixels do not match " + labels.length + " images of " + shape);
        }
    }

    public int size() {
        return labels.length;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + labels.length * 2 + pixels.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(labels.length);
            out.writeShort(shape.channels());
            out.writeShort(shape.height());
            out.writeShort(shape.width());
            for (short l : labels) {
                out.writeShort(l);
            }
            out.write(pixels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ImageBatch decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int n = in.readInt();
        ImageShape shape = new ImageShape(in.readShort(), in.readShort(), in.readShort());
        short[] labels = new short[n];
        for (int i = 0; i < n; i++) {
            labels[i] = in.readShort();
        }
        byte[] pixels = new byte[n * shape.pixels()];
        in.readFully(pixels);
        return new ImageBatch(shape, labels, pixels);
    }
}
