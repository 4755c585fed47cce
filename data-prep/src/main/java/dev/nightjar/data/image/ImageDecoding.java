package dev.nightjar.data.image;

import dev.nightjar.model.ImageShape;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Decodes PNG/JPEG (anything javax.imageio reads) to CHW bytes of a fixed shape. */
public final class ImageDecoding {
    private ImageDecoding() {
    }

    /** Thrown for files that are not images or cannot be decoded; the message is the reason. */
    public static final class NotAnImage extends Exception {
        private static final long serialVersionUID = 1L;

        NotAnImage(String reason) {
            super(reason);
        }
    }

    /**
     * The most pixels (width x height, as the file's header declares them) an image may have: 64 Mi (8192 x 8192).
     * A larger one is rejected before it is decoded, so a small file declaring huge dimensions (a decompression
     * bomb) cannot exhaust an executor's memory.
     */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;
    /** The largest image file read, in bytes (256 MiB); a larger one is rejected without being read whole. */
    public static final int MAX_FILE_BYTES = 256 * 1024 * 1024;

    public static byte[] decode(InputStream in, ImageShape shape) throws NotAnImage {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new NotAnImage("unreadable: " + e.getMessage());
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new NotAnImage("too large: the file is over " + MAX_FILE_BYTES / (1024 * 1024) + " MiB");
        }
        checkComplete(bytes);
        return toChw(read(bytes), shape);
    }

    /** Reads the header first and decodes only an image of at most {@link #MAX_PIXELS} pixels. */
    private static BufferedImage read(byte[] bytes) throws NotAnImage {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new NotAnImage("not an image (no PNG/JPEG/GIF/BMP decoder recognises it)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > MAX_PIXELS) {
                    throw new NotAnImage("too large: " + width + "x" + height + " pixels (the limit is " + MAX_PIXELS
                            + " pixels, 8192x8192); not decoded");
                }
                BufferedImage img = reader.read(0);
                if (img == null) {
                    throw new NotAnImage("not an image (no PNG/JPEG/GIF/BMP decoder recognises it)");
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new NotAnImage("corrupt image: " + e.getMessage());
        }
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * javax.imageio decodes a truncated PNG or JPEG without complaint (missing rows come out
     * black), so check the container first: a PNG's chunks must all pass their CRC up to IEND,
     * and a JPEG must end with its end-of-image marker.
     */
    static void checkComplete(byte[] b) throws NotAnImage {
        if (b.length >= 8 && Arrays.equals(Arrays.copyOf(b, 8), PNG_SIGNATURE)) {
            ByteBuffer buf = ByteBuffer.wrap(b, 8, b.length - 8);
            while (true) {
                if (buf.remaining() < 12) {
                    throw new NotAnImage("corrupt image: truncated PNG (no IEND chunk)");
                }
                int length = buf.getInt();
                if (length < 0 || length > buf.remaining() - 8) {
                    throw new NotAnImage("corrupt image: truncated PNG (chunk runs past the end of the file)");
                }
                CRC32 crc = new CRC32();
                crc.update(b, buf.position(), 4 + length);
                String type = new String(b, buf.position(), 4, java.nio.charset.StandardCharsets.US_ASCII);
                buf.position(buf.position() + 4 + length);
                if ((int) crc.getValue() != buf.getInt()) {
                    throw new NotAnImage("corrupt image: PNG chunk " + type + " fails its CRC");
                }
                if (type.equals("IEND")) {
                    return;
                }
            }
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
            int end = b.length;
            while (end > 2 && b[end - 1] == 0) {
                end--;
            }
            if (end < 4 || (b[end - 2] & 0xff) != 0xff || (b[end - 1] & 0xff) != 0xd9) {
                throw new NotAnImage("corrupt image: truncated JPEG (no end-of-image marker)");
            }
        }
    }

    /** Scales (bilinear) and converts to the target channels: grey for 1, RGB for 3. */
    public static byte[] toChw(BufferedImage img, ImageShape shape) {
        int type = shape.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
        BufferedImage target = new BufferedImage(shape.width(), shape.height(), type);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(img, 0, 0, shape.width(), shape.height(), null);
        } finally {
            g.dispose();
        }
        int hw = shape.height() * shape.width();
        byte[] out = new byte[shape.pixels()];
        if (shape.channels() == 1) {
            target.getRaster().getDataElements(0, 0, shape.width(), shape.height(), out);
            return out;
        }
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                int rgb = target.getRGB(x, y);
                int i = y * shape.width() + x;
                out[i] = (byte) (rgb >> 16);
                out[hw + i] = (byte) (rgb >> 8);
                out[2 * hw + i] = (byte) rgb;
            }
        }
        return out;
    }
}
