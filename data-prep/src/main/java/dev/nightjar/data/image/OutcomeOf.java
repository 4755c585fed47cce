package dev.nightjar.data.image;

import org.apache.spark.api.java.function.Function;

/**
 * Counting key: {@code split:<name>:<label>} for a kept image, {@code rejected:<reason>} for a skipped
 * file, {@code excluded:<reason>} for an image the class selection leaves out.
 */
public final class OutcomeOf implements Function<PreparedImage, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(PreparedImage img) {
        if (img.isRejected()) {
            return "rejected:" + reasonClass(img.reject);
        }
        return img.excluded != null ? "excluded:" + img.excluded : "split:" + img.split + ":" + img.label;
    }

    /** The reason without file-specific detail, so counts group. */
    static String reasonClass(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }
}
