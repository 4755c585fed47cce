package dev.nightjar.data.image;

import dev.nightjar.model.ImageShape;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecodingTest {
    private static final ImageShape GREY_8 = new ImageShape(1, 8, 8);

    private static byte[] encode(String format, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 128);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    private static byte[] decode(byte[] bytes, ImageShape shape) throws Exception {
        return ImageDecoding.decode(new ByteArrayInputStream(bytes), shape);
    }

    @Test
    void pngAndJpegOfAnySizeComeOutInTheTargetShape() throws Exception {
        assertEquals(64, decode(encode("png", 40, 30), GREY_8).length);
        byte[] rgb = decode(encode("jpg", 17, 50), new ImageShape(3, 8, 8));
        assertEquals(3 * 64, rgb.length);
        // the blue channel is a constant 128 in the source
        assertEquals(128, rgb[2 * 64 + 27] & 0xff, 6);
    }

    @Test
    void truncatedFilesAreRejectedThoughImageIoWouldDecodeThem() throws Exception {
        byte[] png = encode("png", 64, 64);
        byte[] halfPng = Arrays.copyOf(png, png.length / 2);
        ImageDecoding.NotAnImage e = assertThrows(ImageDecoding.NotAnImage.class, () -> decode(halfPng, GREY_8));
        assertTrue(e.getMessage().startsWith("corrupt image: truncated PNG"), e.getMessage());

        byte[] jpg = encode("jpg", 64, 64);
        ImageDecoding.NotAnImage j = assertThrows(ImageDecoding.NotAnImage.class, () -> decode(Arrays.copyOf(jpg, jpg.length - 100), GREY_8));
        assertTrue(j.getMessage().contains("truncated JPEG"), j.getMessage());
    }

    @Test
    void aFlippedByteInsideAPngFailsItsChunkCrc() throws Exception {
        byte[] png = encode("png", 32, 32);
        png[png.length - 20] ^= 0x01; // inside IDAT's data or CRC
        ImageDecoding.NotAnImage e = assertThrows(ImageDecoding.NotAnImage.class, () -> decode(png, GREY_8));
        assertTrue(e.getMessage().contains("fails its CRC"), e.getMessage());
    }

    @Test
    void otherBytesAreNotAnImage() {
        ImageDecoding.NotAnImage e = assertThrows(ImageDecoding.NotAnImage.class, () -> decode("hello".getBytes(), GREY_8));
        assertTrue(e.getMessage().startsWith("not an image"), e.getMessage());
    }

    /**
     * A complete, valid PNG of one colour, 1-bit grey, declaring width x height: 20000 x 20000 is about 50 KB,
     * built here row by row so the pixels never exist in memory.
     */
    static byte[] onecolourPng(int width, int height) throws Exception {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[1 + (width + 7) / 8]; // filter byte 0, then zero bits
        try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(idat)) {
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 1).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws Exception {
        java.io.DataOutputStream out = new java.io.DataOutputStream(png);
        out.writeInt(data.length);
        byte[] head = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(head);
        out.write(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(head);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    /** A decompression bomb: a few KB declaring 400 million pixels is rejected from its header, never decoded. */
    @Test
    void anImageDeclaringTooManyPixelsIsRejectedBeforeDecoding() throws Exception {
        byte[] bomb = onecolourPng(20_000, 20_000);
        assertTrue(bomb.length < 200_000, "a small file: " + bomb.length);
        ImageDecoding.NotAnImage e = assertThrows(ImageDecoding.NotAnImage.class, () -> decode(bomb, GREY_8));
        assertTrue(e.getMessage().startsWith("too large: 20000x20000 pixels"), e.getMessage());
        // the same kind of file within the limit decodes
        assertEquals(64, decode(onecolourPng(300, 200), GREY_8).length);
    }
}
