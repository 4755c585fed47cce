package dev.nightjar.data.image;

import java.io.Serializable;
import java.util.Random;

/**
 * Random crop after zero padding, and random horizontal flip, applied to CHW float pixels.
 *
 * @param enabled     master switch
 * @param cropPadding pixels of zero padding before the random crop (0 = no crop)
 * @param flip        random horizontal flip
 */
public record Augmentation(boolean enabled, int cropPadding, boolean flip) implements Serializable {
    public static final Augmentation OFF = new Augmentation(false, 0, false);

    /** Augments one image in place in {@code data} at {@code offset}; {@code scratch} holds one image. */
    void apply(float[] data, int offset, int channels, int height, int width, Random rnd, float[] scratch) {
        if (!enabled) {
            return;
        }
        int dy = cropPadding > 0 ? rnd.nextInt(2 * cropPadding + 1) - cropPadding : 0;
        int dx = cropPadding > 0 ? rnd.nextInt(2 * cropPadding + 1) - cropPadding : 0;
        boolean mirror = flip && rnd.nextBoolean();
        if (dx == 0 && dy == 0 && !mirror) {
            return;
        }
        int n = channels * height * width;
        System.arraycopy(data, offset, scratch, 0, n);
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                for (int x = 0; x < width; x++) {
                    int sx = (mirror ? width - 1 - x : x) + dx;
                    data[offset + plane + y * width + x] =
                            sy >= 0 && sy < height && sx >= 0 && sx < width ? scratch[plane + sy * width + sx] : 0f;
                }
            }
        }
    }
}
