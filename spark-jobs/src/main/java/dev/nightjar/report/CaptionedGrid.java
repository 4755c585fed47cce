package dev.nightjar.report;

import dev.nightjar.model.ImageShape;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A grid of small images with a caption under each, drawn into one picture for a report. */
public final class CaptionedGrid {
    /** Pixels of a cell's image along its longer side. */
    static final int CELL = 84;
    private static final int PAD = 6;
    private static final int CAPTION = 14;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final FontMetrics METRICS = metrics();

    /**
     * @param pixels  one image, CHW floats in [0, 1] (1 channel: grey, 3: RGB)
     * @param caption the text under it (may be empty)
     */
    public record Cell(float[] pixels, String caption) {
    }

    private CaptionedGrid() {
    }

    /** The cells row by row, {@code columns} to a row. */
    public static BufferedImage render(List<Cell> cells, ImageShape shape, int columns) {
        double scale = (double) CELL / Math.max(shape.height(), shape.width());
        int iw = (int) Math.round(shape.width() * scale);
        int ih = (int) Math.round(shape.height() * scale);
        boolean captions = cells.stream().anyMatch(c -> !c.caption().isEmpty());
        int widest = cells.stream().mapToInt(c -> METRICS.stringWidth(c.caption())).max().orElse(0);
        int cw = Math.max(iw, Math.min(widest + 4, 2 * CELL)) + PAD;
        int ch = ih + (captions ? CAPTION : 0) + PAD;
        int cols = Math.max(1, Math.min(columns, cells.size()));
        int rows = Math.max(1, (cells.size() + cols - 1) / cols);
        BufferedImage grid = new BufferedImage(cols * cw + PAD, rows * ch + PAD, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(FONT);
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < cells.size(); i++) {
                int x = PAD + (i % cols) * cw;
                int y = PAD + (i / cols) * ch;
                int left = x + (cw - PAD - iw) / 2;
                g.drawImage(picture(cells.get(i).pixels(), shape), left, y, iw, ih, null);
                g.setColor(Color.GRAY);
                g.drawRect(left - 1, y - 1, iw + 1, ih + 1);
                String text = fit(cells.get(i).caption(), fm, cw - PAD);
                g.setColor(Color.BLACK);
                g.drawString(text, x + (cw - PAD - fm.stringWidth(text)) / 2, y + ih + CAPTION - 3);
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    /** One CHW float image as a picture, values clamped to [0, 1]. */
    static BufferedImage picture(float[] px, ImageShape s) {
        int plane = s.height() * s.width();
        BufferedImage img = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                int i = y * s.width() + x;
                int r = byteOf(px[i]);
                int gr = s.channels() == 3 ? byteOf(px[plane + i]) : r;
                int b = s.channels() == 3 ? byteOf(px[2 * plane + i]) : r;
                img.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return img;
    }

    private static FontMetrics metrics() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return g.getFontMetrics(FONT);
        } finally {
            g.dispose();
        }
    }

    private static int byteOf(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255);
    }

    private static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (!t.isEmpty() && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }
}
