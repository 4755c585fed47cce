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
}
