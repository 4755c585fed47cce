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
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

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

    public static byte[] decode(InputStream in, ImageShape shape) throws NotAnImage {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new NotAnImage("unreadable: " + e.getMessage());
        }
        checkComplete(bytes);
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new NotAnImage("corrupt image: " + e.getMessage());
        }
        if (img == null) {
            throw new NotAnImage("not an image (no PNG/JPEG/GIF/BMP decoder recognises it)");
        }
        return toChw(img, shape);
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
