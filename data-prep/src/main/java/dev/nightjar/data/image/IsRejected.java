package dev.nightjar.data.image;

import org.apache.spark.api.java.function.Function;

public final class IsRejected implements Function<PreparedImage, Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean call(PreparedImage img) {
        return img.isRejected();
    }
}
