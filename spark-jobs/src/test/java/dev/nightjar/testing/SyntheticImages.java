package dev.nightjar.testing;

import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small learnable image set in IDX format: class k has a bright band across rows of its own
 * region, on noise. Seeded, so tests are repeatable.
 */
public final class SyntheticImages {
    private SyntheticImages() {
    }

    /** Writes {@code name-images-idx3-ubyte} and {@code name-labels-idx1-ubyte} into dir; returns the images file. */
    public static Path writeIdx(Path dir, String name, int n, int size, int classes, long seed) throws Exception {
        Random rnd = new Random(seed);
        Path images = dir.resolve(name + "-images-idx3-ubyte");
        byte[] labels = new byte[n];
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(size);
            out.writeInt(size);
            int band = size / classes;
            for (int i = 0; i < n; i++) {
                int k = rnd.nextInt(classes);
                labels[i] = (byte) k;
                for (int y = 0; y < size; y++) {
                    boolean bright = y >= k * band && y < (k + 1) * band;
                    for (int x = 0; x < size; x++) {
                        int v = rnd.nextInt(90) + (bright ? 120 : 0);
                        out.writeByte(v);
                    }
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(name + "-labels-idx1-ubyte")))) {
            out.writeInt(0x801);
            out.writeInt(n);
            out.write(labels);
        }
        return images;
    }
}
