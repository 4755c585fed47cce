package dev.nightjar.data.image;

import org.apache.spark.api.java.function.Function;

/** Counting key: {@code split:<name>} for a kept image, {@code rejected:<reason>} for a skipped file. */
public final class OutcomeOf implements Function<PreparedImage, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(PreparedImage img) {
        return img.isRejected() ? "rejected:" + reasonClass(img.reject) : "split:" + img.split;
    }

    /** The reason without file-specific detail, so counts group. */
    static String reasonClass(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }
}
