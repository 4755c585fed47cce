package dev.nightjar.data.image;

/**
 * Geometric transforms of one CHW float image stored at {@code offset} in {@code data}, in place
 * ({@code scratch} holds one image). Coordinates: x to the right, y down, pixel centres at integers;
 * every channel moves alike. Each output pixel (x, y) takes its value from the input as stated.
 */
public final class ImageTransforms {
    /** Source coordinates this close to an integer are taken as that integer, so 90-degree turns are exact. */
    private static final double SNAP = 1e-6;

    private ImageTransforms() {
    }

    /** Mirror left-right: out(x, y) = in(w-1-x, y). */
    public static void flipHorizontal(float[] data, int offset, int c, int h, int w, float[] scratch) {
        copyIn(data, offset, c * h * w, scratch);
        for (int p = 0; p < c * h; p++) {
            int row = p * w;
            for (int x = 0; x < w; x++) {
                data[offset + row + x] = scratch[row + w - 1 - x];
            }
        }
    }

    /** Mirror top-bottom: out(x, y) = in(x, h-1-y). */
    public static void flipVertical(float[] data, int offset, int c, int h, int w, float[] scratch) {
        copyIn(data, offset, c * h * w, scratch);
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int y = 0; y < h; y++) {
                System.arraycopy(scratch, plane + (h - 1 - y) * w, data, offset + plane + y * w, w);
            }
        }
    }

    /**
     * Rotate by {@code degrees} counter-clockwise as displayed, about the centre (cx, cy) = ((w-1)/2, (h-1)/2),
     * with bilinear interpolation and zeros outside the input: out(x, y) = in(sx, sy) with
     * sx = cx + cos(t)(x-cx) - sin(t)(y-cy), sy = cy + sin(t)(x-cx) + cos(t)(y-cy).
     */
    public static void rotate(float[] data, int offset, int c, int h, int w, double degrees, float[] scratch) {
        copyIn(data, offset, c * h * w, scratch);
        double t = Math.toRadians(degrees);
        double cos = Math.cos(t);
        double sin = Math.sin(t);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sx = snap(cx + cos * (x - cx) - sin * (y - cy));
                double sy = snap(cy + sin * (x - cx) + cos * (y - cy));
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double fx = sx - x0;
                double fy = sy - y0;
                for (int ch = 0; ch < c; ch++) {
                    int plane = ch * h * w;
                    double v = (1 - fx) * (1 - fy) * at(scratch, plane, h, w, x0, y0) + fx * (1 - fy) * at(scratch, plane, h, w, x0 + 1, y0)
                            + (1 - fx) * fy * at(scratch, plane, h, w, x0, y0 + 1) + fx * fy * at(scratch, plane, h, w, x0 + 1, y0 + 1);
                    data[offset + plane + y * w + x] = (float) v;
                }
            }
        }
    }

    /**
     * Translate by (dx, dy) pixels (right and down when positive), filling with the nearest edge pixel:
     * out(x, y) = in(clamp(x-dx, 0, w-1), clamp(y-dy, 0, h-1)).
     */
    public static void shift(float[] data, int offset, int c, int h, int w, int dx, int dy, float[] scratch) {
        copyIn(data, offset, c * h * w, scratch);
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int y = 0; y < h; y++) {
                int sy = Math.min(h - 1, Math.max(0, y - dy));
                for (int x = 0; x < w; x++) {
                    int sx = Math.min(w - 1, Math.max(0, x - dx));
                    data[offset + plane + y * w + x] = scratch[plane + sy * w + sx];
                }
            }
        }
    }

    /**
     * Pad every side with p zeros and crop a w x h window whose top-left corner is at (p+dx, p+dy) of the padded
     * image, |dx|, |dy| &lt;= p: out(x, y) = in(x+dx, y+dy), 0 where that falls outside the input.
     */
    public static void cropWithPadding(float[] data, int offset, int c, int h, int w, int dx, int dy, float[] scratch) {
        copyIn(data, offset, c * h * w, scratch);
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                for (int x = 0; x < w; x++) {
                    int sx = x + dx;
                    data[offset + plane + y * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? scratch[plane + sy * w + sx] : 0f;
                }
            }
        }
    }

    private static void copyIn(float[] data, int offset, int n, float[] scratch) {
        System.arraycopy(data, offset, scratch, 0, n);
    }

    private static float at(float[] img, int plane, int h, int w, int x, int y) {
        return x >= 0 && x < w && y >= 0 && y < h ? img[plane + y * w + x] : 0f;
    }

    private static double snap(double v) {
        double r = Math.rint(v);
        return Math.abs(v - r) < SNAP ? r : v;
    }
}
