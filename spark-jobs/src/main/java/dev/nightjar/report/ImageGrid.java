package dev.nightjar.report;

import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * A grid of images for a report, drawn with plain AWT and embedded as a PNG data URI: cells of CHW pixels in [0, 1]
 * (one channel grey, three RGB), scaled up by whole pixels, row by row, under a line of column captions.
 */
public final class ImageGrid {
    private static final int GAP = 4;
    private static final int CAPTION = 16;

    private ImageGrid() {
    }

    /**
     * @param cells    images {@code [channels, height, width]} (or with a leading 1), all of one shape, in reading order
     * @param columns  cells per row
     * @param scale    screen pixels per image pixel
     * @param captions one per column (drawn above the first row), or empty for none
     */
    public static BufferedImage draw(List<INDArray> cells, int columns, int scale, List<String> captions) {
        long[] shape = chw(cells.get(0));
        int channels = (int) shape[0];
        int h = (int) shape[1] * scale;
        int w = (int) shape[2] * scale;
        int rows = (cells.size() + columns - 1) / columns;
        int top = captions.isEmpty() ? 0 : CAPTION;
        BufferedImage img = new BufferedImage(columns * (w + GAP) + GAP, top + rows * (h + GAP) + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int c = 0; c < captions.size() && c < columns; c++) {
            g.drawString(captions.get(c), GAP + c * (w + GAP), CAPTION - 4);
        }
        g.dispose();
        for (int i = 0; i < cells.size(); i++) {
            INDArray cell = cells.get(i).reshape(shape);
            int x0 = GAP + (i % columns) * (w + GAP);
            int y0 = top + GAP + (i / columns) * (h + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int r = level(cell, 0, y / scale, x / scale);
                    int rgb = channels == 1 ? (r << 16) | (r << 8) | r
                            : (r << 16) | (level(cell, 1, y / scale, x / scale) << 8) | level(cell, 2, y / scale, x / scale);
                    img.setRGB(x0 + x, y0 + y, rgb);
                }
            }
        }
        return img;
    }

    /** An {@code <img>} tag holding the image as a PNG data URI, {@code alt} escaped. */
    public static String img(String alt, BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "<img alt=\"" + Html.escape(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()) + "\">";
    }

    private static long[] chw(INDArray cell) {
        long[] s = cell.shape();
        return s.length == 4 ? new long[] {s[1], s[2], s[3]} : s;
    }

    private static int level(INDArray cell, int c, int y, int x) {
        double v = cell.getDouble(c, y, x);
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
}
