package dev.nightjar.data.image;

import org.apache.spark.api.java.function.Function;

public final class IsRejected implements Function<PreparedImage, Boolean> {
    @Override
    public Boolean call(PreparedImage img) {
        return img.isRejected();
    }
}
