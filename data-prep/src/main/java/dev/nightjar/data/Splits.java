package dev.nightjar.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Stable, seeded assignment of examples to splits and shuffle positions, by hashing. */
public final class Splits {
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";

    private Splits() {
    }

    /** A 64-bit hash of the seed and the bytes: the same input gives the same value on every machine. */
    public static long hash(long seed, byte[] bytes) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ByteBuffer.allocate(8).putLong(seed).array());
            md.update(bytes);
            return ByteBuffer.wrap(md.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uniform in [0, 1). */
    public static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /** validation when the content's hash falls below the fraction, else train. */
    public static String trainOrValidation(long seed, byte[] content, double valFraction) {
        return of(hash(seed, content), valFraction, 0);
    }

    /** The split of a content hash: test below testFraction, then validation below testFraction + valFraction, else train. */
    public static String of(long hash, double valFraction, double testFraction) {
        double u = unit(hash);
        return u < testFraction ? TEST : u < testFraction + valFraction ? VALIDATION : TRAIN;
    }
}
