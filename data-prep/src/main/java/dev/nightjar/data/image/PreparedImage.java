package dev.nightjar.data.image;

import java.io.Serializable;

/**
 * One input image after decoding: its source, label and pixels (CHW bytes), or the reason it
 * was rejected. {@code split} is set once the split is assigned.
 */
public final class PreparedImage implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String source;
    public final int label;
    public final byte[] pixels;
    public final String reject;
    public String split;

    private PreparedImage(String source, int label, byte[] pixels, String reject) {
        this.source = source;
        this.label = label;
        this.pixels = pixels;
        this.reject = reject;
    }

    public static PreparedImage ok(String source, int label, byte[] pixels) {
        return new PreparedImage(source, label, pixels, null);
    }

    public static PreparedImage rejected(String source, String reason) {
        return new PreparedImage(source, -1, null, reason);
    }

    public boolean isRejected() {
        return reject != null;
    }
}
