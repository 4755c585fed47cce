package dev.nightjar.data.image;

import org.apache.spark.api.java.function.Function;

import java.util.HashMap;
import java.util.Map;

/** Excludes ('over per-class limit') a kept image ranked above its (split, class) group's threshold. */
public final class CapPerClass implements Function<PreparedImage, PreparedImage> {
    private static final long serialVersionUID = 1L;
    public static final String REASON = "over per-class limit";

    private final HashMap<String, Long> thresholds;
    private final long seed;

    /** @param thresholds group → highest rank kept; a group not named keeps every image */
    public CapPerClass(Map<String, Long> thresholds, long seed) {
        this.thresholds = new HashMap<>(thresholds);
        this.seed = seed;
    }

    @Override
    public PreparedImage call(PreparedImage img) {
        if (!img.isKept()) {
            return img;
        }
        Long max = thresholds.get(ClassRank.group(img));
        return max == null || ClassRank.rank(seed, img) <= max ? img : img.excludedFor(REASON);
    }
}
