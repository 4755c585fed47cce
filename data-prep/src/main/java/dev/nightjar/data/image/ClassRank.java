package dev.nightjar.data.image;

import dev.nightjar.data.Splits;
import org.apache.spark.api.java.function.PairFunction;
import scala.Tuple2;

import java.nio.charset.StandardCharsets;

/** Keys a kept image by its (split, class) group, with its seeded rank: the lowest ranks of a group are kept. */
public final class ClassRank implements PairFunction<PreparedImage, String, Long> {
    private static final long serialVersionUID = 1L;

    private final long seed;

    public ClassRank(long seed) {
        this.seed = seed;
    }

    @Override
    public Tuple2<String, Long> call(PreparedImage img) {
        return new Tuple2<>(group(img), rank(seed, img));
    }

    static String group(PreparedImage img) {
        return img.split + ":" + img.label;
    }

    /** A seeded hash of the image's source (unique per image): a uniform random order within each class. */
    static long rank(long seed, PreparedImage img) {
        return Splits.hash(seed, ("per-class:" + img.source).getBytes(StandardCharsets.UTF_8));
    }
}
