package dev.nightjar.data.image;

import org.apache.spark.api.java.function.Function;

/** Readable and not left out by the class selection. */
public final class IsKept implements Function<PreparedImage, Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean call(PreparedImage img) {
        return img.isKept();
    }
}
