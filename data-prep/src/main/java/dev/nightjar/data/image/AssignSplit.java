package dev.nightjar.data.image;

import dev.nightjar.data.Splits;
import org.apache.spark.api.java.function.Function;

/**
 * Sets each image's split: everything to test when {@code allTest}, else validation or train by a
 * seeded hash of the pixels, so duplicates of one image never straddle train and validation.
 */
public final class AssignSplit implements Function<PreparedImage, PreparedImage> {
    private static final long serialVersionUID = 1L;

    private final long seed;
    private final double valFraction;
    private final boolean allTest;

    public AssignSplit(long seed, double valFraction, boolean allTest) {
        this.seed = seed;
        this.valFraction = valFraction;
        this.allTest = allTest;
    }

    @Override
    public PreparedImage call(PreparedImage img) {
        if (!img.isRejected()) {
            img.split = allTest ? Splits.TEST : Splits.trainOrValidation(seed, img.pixels, valFraction);
        }
        return img;
    }
}
