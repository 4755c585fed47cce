package dev.nightjar.data.image;

import java.io.Serializable;
import java.util.Random;

/**
 * Random transforms of CHW float pixels as a training minibatch loads ({@code train.augment.*}), in this
 * order, each drawn independently per image: horizontal flip, vertical flip, rotation, shift, crop after
 * zero padding (see {@link ImageTransforms} for the formulas).
 *
 * @param enabled      master switch
 * @param cropPadding  pixels of zero padding before the random crop (0 = no crop)
 * @param flip         random horizontal flip (half the images)
 * @param verticalFlip random vertical flip (half the images)
 * @param rotation     rotate by an angle drawn uniformly from [-rotation, rotation] degrees (0 = none)
 * @param shift        translate by up to this share of the width and of the height, in whole pixels, filling with the edge (0 = none)
 */
public record Augmentation(boolean enabled, int cropPadding, boolean flip, boolean verticalFlip, double rotation, double shift)
        implements Serializable {
    public static final Augmentation OFF = new Augmentation(false, 0, false, false, 0, 0);

    public Augmentation {
        if (cropPadding < 0 || rotation < 0 || rotation > 180 || shift < 0 || shift > 0.5) {
            throw new IllegalArgumentException("augmentation out of range: crop padding " + cropPadding + ", rotation " + rotation
                    + ", shift " + shift);
        }
    }

    /** Crop and horizontal flip only. */
    public Augmentation(boolean enabled, int cropPadding, boolean flip) {
        this(enabled, cropPadding, flip, false, 0, 0);
    }

    /** Augments one image in place in {@code data} at {@code offset}; {@code scratch} holds one image. */
    void apply(float[] data, int offset, int channels, int height, int width, Random rnd, float[] scratch) {
        if (!enabled) {
            return;
        }
        if (flip && rnd.nextBoolean()) {
            ImageTransforms.flipHorizontal(data, offset, channels, height, width, scratch);
        }
        if (verticalFlip && rnd.nextBoolean()) {
            ImageTransforms.flipVertical(data, offset, channels, height, width, scratch);
        }
        if (rotation > 0) {
            double degrees = (2 * rnd.nextDouble() - 1) * rotation;
            ImageTransforms.rotate(data, offset, channels, height, width, degrees, scratch);
        }
        if (shift > 0) {
            int mx = (int) Math.round(shift * width);
            int my = (int) Math.round(shift * height);
            int dx = mx > 0 ? rnd.nextInt(2 * mx + 1) - mx : 0;
            int dy = my > 0 ? rnd.nextInt(2 * my + 1) - my : 0;
            if (dx != 0 || dy != 0) {
                ImageTransforms.shift(data, offset, channels, height, width, dx, dy, scratch);
            }
        }
        if (cropPadding > 0) {
            int dy = rnd.nextInt(2 * cropPadding + 1) - cropPadding;
            int dx = rnd.nextInt(2 * cropPadding + 1) - cropPadding;
            if (dx != 0 || dy != 0) {
                ImageTransforms.cropWithPadding(data, offset, channels, height, width, dx, dy, scratch);
            }
        }
    }
}
