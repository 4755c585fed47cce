package dev.nightjar.data.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each transform on a hand-made image: the pixels land where the formula in {@link ImageTransforms} says. */
class ImageTransformsTest {
    /** An L in a 7x7 image: a stroke down x = 1 (rows 1..5) and a foot along row 5 (x = 1..3). */
    static final String[] L = {
            ".......",
            ".#.....",
            ".#.....",
            ".#.....",
            ".#.....",
            ".###...",
            "......."};

    static float[] image(String... rows) {
        int w = rows[0].length();
        float[] img = new float[rows.length * w];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                img[y * w + x] = rows[y].charAt(x) == '#' ? 1f : 0f;
            }
        }
        return img;
    }

    static float[] rotated(float[] img, int size, double degrees) {
        float[] d = img.clone();
        ImageTransforms.rotate(d, 0, 1, size, size, degrees, new float[img.length]);
        return d;
    }

    @Test
    void anLRotatedBy90DegreesIsTheLTurnedCounterClockwiseExactly() {
        // out(x, y) = in(6 - y, x): the stroke becomes the bottom row, the foot a stub up its right end
        float[] turned = rotated(image(L), 7, 90);
        assertArrayEquals(image(
                ".......",
                ".......",
                ".......",
                ".....#.",
                ".....#.",
                ".#####.",
                "......."), turned);
        assertArrayEquals(image(
                ".......",
                "...###.",
                ".....#.",
                ".....#.",
                ".....#.",
                ".....#.",
                "......."), rotated(turned, 7, 90), "180 degrees: out(x, y) = in(6 - x, 6 - y)");
        assertArrayEquals(image(L), rotated(turned, 7, -90), "-90 undoes +90");
        float[] full = image(L);
        for (int i = 0; i < 4; i++) {
            full = rotated(full, 7, 90);
        }
        assertArrayEquals(image(L), full, "four quarter turns are the identity");
    }

    @Test
    void aSmallRotationInterpolatesBilinearlyWhereTheFormulaSays() {
        // a ramp in(x, y) = x: bilinear interpolation of a linear function is exact, so wherever the source
        // (sx, sy) lies inside the image, out(x, y) = sx = 2 + cos(30)(x - 2) - sin(30)(y - 2)
        int n = 5;
        float[] ramp = new float[n * n];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i % n;
        }
        float[] r = rotated(ramp, n, 30);
        double cos = Math.sqrt(3) / 2;
        assertEquals(2.0, r[2 * n + 2], 1e-6, "the centre stays");
        assertEquals(2 + cos, r[2 * n + 3], 1e-6, "one right of the centre");
        assertEquals(1.5, r[3 * n + 2], 1e-6, "one below the centre: 2 - sin(30)");
        assertEquals(2.5, r[n + 2], 1e-6, "one above the centre: 2 + sin(30)");
        assertEquals(2 + cos + 0.5, r[n + 3], 1e-6, "up and right");
        // (0, 0) samples (1.27, -0.73): 0.73 of its weight falls on the zeros above the image
        double sx = 2 - 2 * cos + 1;
        double fy = (2 - 1 - 2 * cos) + 1;
        assertEquals(sx * fy, r[0], 1e-6);

        // a single bright pixel one right of the centre turns up towards (2 + cos, 2 - sin) = (2.87, 1.5): it is
        // sampled by the outputs whose source (sx, sy) lies within one pixel of it, with weights (1-|sx-3|)(1-|sy-2|)
        float[] dot = new float[n * n];
        dot[2 * n + 3] = 1f;
        float[] d = rotated(dot, n, 30);
        float[] expected = new float[n * n];
        expected[n + 3] = (float) ((1.5 - cos) * (1.5 - cos)); // (3, 1) samples (2 + cos + 0.5, 2.5 - cos)
        expected[2 * n + 3] = (float) (cos * 0.5);              // (3, 2) samples (2 + cos, 2.5)
        expected[n + 2] = (float) (0.5 * (1 - cos));            // (2, 1) samples (2.5, 2 - cos)
        assertArrayEquals(expected, d, 1e-6f);
    }

    @Test
    void flipsMirrorRowsOrColumnsInEveryChannel() {
        float[] img = {1, 2, 3, 4, 5, 6, /* channel 2 */ 7, 8, 9, 10, 11, 12}; // 2 channels of 2 rows x 3 columns
        float[] h = img.clone();
        ImageTransforms.flipHorizontal(h, 0, 2, 2, 3, new float[12]);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, h);
        float[] v = img.clone();
        ImageTransforms.flipVertical(v, 0, 2, 2, 3, new float[12]);
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9}, v);
        float[] l = image(L);
        ImageTransforms.flipVertical(l, 0, 1, 7, 7, new float[49]);
        assertArrayEquals(image(
                ".......",
                ".###...",
                ".#.....",
                ".#.....",
                ".#.....",
                ".#.....",
                "......."), l);
    }

    @Test
    void cropWithPaddingTakesAShiftedWindowOfTheZeroPaddedImage() {
        float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9}; // 3 x 3, padded by 1: a window whose corner is (1+dx, 1+dy)
        float[] d = img.clone();
        ImageTransforms.cropWithPadding(d, 0, 1, 3, 3, 1, -1, new float[9]);
        assertArrayEquals(new float[] {0, 0, 0, 2, 3, 0, 5, 6, 0}, d, "out(x, y) = in(x + 1, y - 1)");
        float[] l = image(L);
        ImageTransforms.cropWithPadding(l, 0, 1, 7, 7, -1, 1, new float[49]);
        assertArrayEquals(image(
                "..#....",
                "..#....",
                "..#....",
                "..#....",
                "..###..",
                ".......",
                "......."), l, "the L moves right and up");
    }

    @Test
    void shiftTranslatesAndFillsWithTheEdge() {
        float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] d = img.clone();
        ImageTransforms.shift(d, 0, 1, 3, 3, 1, 0, new float[9]);
        assertArrayEquals(new float[] {1, 1, 2, 4, 4, 5, 7, 7, 8}, d, "right by one, the left column repeated");
        float[] u = img.clone();
        ImageTransforms.shift(u, 0, 1, 3, 3, 0, -2, new float[9]);
        assertArrayEquals(new float[] {7, 8, 9, 7, 8, 9, 7, 8, 9}, u, "up by two, the bottom row repeated");
        float[] l = image(L);
        ImageTransforms.shift(l, 0, 1, 7, 7, 2, -1, new float[49]);
        assertArrayEquals(image(
                "...#...",
                "...#...",
                "...#...",
                "...#...",
                "...###.",
                ".......",
                "......."), l, "the L moves right by two and up by one");
    }
}
