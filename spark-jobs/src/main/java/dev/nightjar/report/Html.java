package dev.nightjar.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** Pieces of Nightjar's self-contained HTML reports: charts embedded as PNG data URIs (no network), escaping. */
public final class Html {
    private Html() {
    }

    /**
     * @param chart an XChart chart
     * @return an {@code <img>} tag holding the chart as a PNG data URI, its title (escaped) as alt text
     */
    public static String img(Chart<?, ?> chart) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return "<img alt=\"" + escape(chart.getTitle()) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param picture a picture (an {@link CaptionedGrid}, say)
     * @param alt     what it shows, for the alt text
     * @return an {@code <img>} tag holding it as a PNG data URI
     */
    public static String img(BufferedImage picture, String alt) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(picture, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "<img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()) + "\">";
    }

    /**
     * @param s text to put in HTML content or a double-quoted attribute
     * @return the text with {@code & < > " '} escaped
     */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** The page around a body: title, a plain style sheet inline. */
    public static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;margin:2em;max-width:1000px}th{text-align:left;padding-right:1em}"
                + "td{padding-right:1em}pre{background:#f4f4f4;padding:1em;overflow:auto}img{max-width:100%}"
                + ".note{background:#fff3cd;border:1px solid #e0c060;padding:.6em 1em;margin:.5em 0}</style></head><body>\n"
                + "<h1>" + escape(title) + "</h1>\n" + body + "</body></html>\n";
    }
}
