package dev.nightjar.data.image;

import dev.nightjar.data.Splits;
import org.apache.spark.api.java.function.PairFunction;
import scala.Tuple2;

import java.nio.charset.StandardCharsets;

/** Keys an image by a seeded hash of its source, so sorting by key shuffles the examples reproducibly. */
public final class ShuffleKey implements PairFunction<PreparedImage, Long, PreparedImage> {
    private static final long serialVersionUID = 1L;

    private final long seed;

    public ShuffleKey(long seed) {
        this.seed = seed;
    }

    @Override
    public Tuple2<Long, PreparedImage> call(PreparedImage img) {
        return new Tuple2<>(Splits.hash(seed, img.source.getBytes(StandardCharsets.UTF_8)), img);
    }
}
