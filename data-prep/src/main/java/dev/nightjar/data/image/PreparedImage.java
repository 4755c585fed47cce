package dev.nightjar.data.image;

import java.io.Serializable;

/**
 * One input image after decoding: its source, label and pixels (CHW bytes), or the reason it
 * was rejected. {@code split} is set once the split is assigned; {@code excluded} names why a
 * readable image is left out by the class selection ({@link ClassSelection}), else null.
 */
public final class PreparedImage implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String source;
    public final int label;
    public final byte[] pixels;
    public final String reject;
    public String split;
    public String excluded;

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

    /** Readable and not excluded: it goes into a shard. */
    public boolean isKept() {
        return reject == null && excluded == null;
    }

    /** A copy with another label (the pixels are shared, never written). */
    public PreparedImage relabelled(int newLabel) {
        PreparedImage p = new PreparedImage(source, newLabel, pixels, null);
        p.split = split;
        return p;
    }

    /** A copy left out for {@code reason}. */
    public PreparedImage excludedFor(String reason) {
        PreparedImage p = new PreparedImage(source, label, pixels, null);
        p.split = split;
        p.excluded = reason;
        return p;
    }
}
