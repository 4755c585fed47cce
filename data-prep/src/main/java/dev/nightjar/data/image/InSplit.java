package dev.nightjar.data.image;

import org.apache.spark.api.java.function.Function;

public final class InSplit implements Function<PreparedImage, Boolean> {
    private static final long serialVersionUID = 1L;

    private final String split;

    public InSplit(String split) {
        this.split = split;
    }

    @Override
    public Boolean call(PreparedImage img) {
        return img.isKept() && split.equals(img.split);
    }
}
