package dev.nightjar.data.image;

import dev.nightjar.UserException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * IDX files (the MNIST format), gzipped or not: magic 0x00000803 for unsigned-byte images with
 * 3 dimensions, 0x00000801 for labels with 1.
 */
public final class IdxFile {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    /** Dimensions read from the header: count, then rows and columns for images. */
    public record Header(int magic, int count, int rows, int cols) {
        public int headerBytes() {
            return magic == IMAGES_MAGIC ? 16 : 8;
        }

        public int itemBytes() {
            return magic == IMAGES_MAGIC ? rows * cols : 1;
        }
    }

    private IdxFile() {
    }

    /** Wraps the stream in a gunzip when it starts with the gzip magic. */
    public static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    /** Reads and checks the header; the stream is left at the first item. */
    public static Header readHeader(DataInputStream in, String name) throws IOException {
        int magic = in.readInt();
        if (magic != IMAGES_MAGIC && magic != LABELS_MAGIC) {
            throw new UserException(name + " is not an IDX file of unsigned bytes (magic 0x"
                    + Integer.toHexString(magic) + ")");
        }
        int count = in.readInt();
        int rows = 0;
        int cols = 0;
        if (magic == IMAGES_MAGIC) {
            rows = in.readInt();
            cols = in.readInt();
            if (rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096) {
                throw new UserException(name + ": implausible image size " + rows + "x" + cols);
            }
        }
        if (count < 0) {
            throw new UserException(name + ": negative item count");
        }
        return new Header(magic, count, rows, cols);
    }

    /** The labels file that goes with an images file (train-images-idx3-ubyte.gz -> train-labels-idx1-ubyte.gz). */
    public static String labelsFileFor(String imagesFile) {
        String labels = imagesFile.replace("images-idx3", "labels-idx1").replace("images.idx3", "labels.idx1");
        if (labels.equals(imagesFile)) {
            throw new UserException("cannot find the labels file for " + imagesFile
                    + " (expected a name with images-idx3, whose labels file has labels-idx1)");
        }
        return labels;
    }

    /** Skips exactly n bytes (GZIP streams may skip less per call). */
    public static void skipFully(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new java.io.EOFException();
                }
                s = 1;
            }
            left -= s;
        }
    }
}
