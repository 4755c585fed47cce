package dev.nightjar.data.image;

import org.apache.spark.api.java.function.Function;

public final class LabelOf implements Function<PreparedImage, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer call(PreparedImage img) {
        return img.label;
    }
}
