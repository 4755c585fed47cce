package dev.nightjar.model;

/** Channels, height and width of an image input (NCHW). */
public record ImageShape(int channels, int height, int width) implements java.io.Serializable {
    public ImageShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height < 8 || width < 8 || height > 4096 || width > 4096) {
            throw new IllegalArgumentException("image size must be between 8 and 4096 pixels, got " + height + "x" + width);
        }
    }

    /** channels x height x width, e.g. 1x28x28. */
    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }

    public int pixels() {
        return channels * height * width;
    }
}
