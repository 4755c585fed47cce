package dev.nightjar.data.image;

import dev.nightjar.model.ImageShape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationTest {

    @Test
    void flipOnlyMirrorsRowsAndKeepsPixels() {
        Augmentation flip = new Augmentation(true, 0, true);
        float[] img = {1, 2, 3, 4, 5, 6};
        int mirrored = 0;
        Random rnd = new Random(1);
        for (int t = 0; t < 20; t++) {
            float[] d = img.clone();
            flip.apply(d, 0, 1, 2, 3, rnd, new float[6]);
            if (d[0] == 3) {
                assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, d);
                mirrored++;
            } else {
                assertArrayEquals(img, d);
            }
        }
        assertEquals(true, mirrored > 3 && mirrored < 17, "about half are mirrored: " + mirrored);
    }

    @Test
    void cropShiftsWithZeroFillAndNeverMovesMoreThanThePadding() {
        Augmentation crop = new Augmentation(true, 1, false);
        float[] img = new float[25];
        img[12] = 1f; // centre of 5x5
        Random rnd = new Random(3);
        boolean moved = false;
        for (int t = 0; t < 30; t++) {
            float[] d = img.clone();
            crop.apply(d, 0, 1, 5, 5, rnd, new float[25]);
            int at = -1;
            for (int i = 0; i < 25; i++) {
                if (d[i] == 1f) {
                    at = i;
                }
            }
            int y = at / 5;
            int x = at % 5;
            assertEquals(true, Math.abs(y - 2) <= 1 && Math.abs(x - 2) <= 1, "moved by at most 1 pixel");
            moved |= at != 12;
        }
        assertEquals(true, moved);
    }

    @Test
    void loaderIsDeterministicPerEpochAndOffMeansIdentity() {
        ImageShape s = new ImageShape(1, 8, 8);
        byte[] px = new byte[2 * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        ImageBatch batch = new ImageBatch(s, new short[] {0, 2}, px);
        Augmentation aug = new Augmentation(true, 2, true);
        DataSet a = new ImageRecordLoader(3, aug, 42, 0, 1).toDataSet(batch, "x#0");
        DataSet b = new ImageRecordLoader(3, aug, 42, 0, 1).toDataSet(batch, "x#0");
        DataSet c = new ImageRecordLoader(3, aug, 42, 1, 1).toDataSet(batch, "x#0");
        DataSet plain = new ImageRecordLoader(3, Augmentation.OFF, 42, 0, 1).toDataSet(batch, "x#0");
        assertEquals(a.getFeatures(), b.getFeatures());
        assertFalse(a.getFeatures().equals(c.getFeatures()), "another epoch sees other crops");
        assertEquals((px[5] & 0xff) / 255f, plain.getFeatures().getFloat(0, 0, 0, 5), 1e-6);
        assertEquals(1f, plain.getLabels().getFloat(1, 2));
        assertEquals(1f, plain.getLabels().sumNumber().floatValue() / 2);
    }

    @Test
    void eachConfiguredTransformIsDrawnAsStated() {
        float[] img = ImageTransformsTest.image(ImageTransformsTest.L);
        Random rnd = new Random(11);
        int flipped = 0;
        for (int t = 0; t < 40; t++) {
            float[] d = img.clone();
            new Augmentation(true, 0, false, true, 0, 0).apply(d, 0, 1, 7, 7, rnd, new float[49]);
            float[] v = img.clone();
            ImageTransforms.flipVertical(v, 0, 1, 7, 7, new float[49]);
            assertTrue(java.util.Arrays.equals(d, img) || java.util.Arrays.equals(d, v), "identity or a vertical flip");
            flipped += java.util.Arrays.equals(d, v) ? 1 : 0;
        }
        assertTrue(flipped > 8 && flipped < 32, "about half flip: " + flipped);

        // rotation: an angle uniform in [-20, 20] degrees, the one the generator gives
        Augmentation rotate = new Augmentation(true, 0, false, false, 20, 0);
        for (long seed = 0; seed < 5; seed++) {
            float[] d = img.clone();
            rotate.apply(d, 0, 1, 7, 7, new Random(seed), new float[49]);
            double degrees = (2 * new Random(seed).nextDouble() - 1) * 20;
            float[] expected = img.clone();
            ImageTransforms.rotate(expected, 0, 1, 7, 7, degrees, new float[49]);
            assertArrayEquals(expected, d);
            assertFalse(java.util.Arrays.equals(img, d), "turned by " + degrees);
        }

        // shift by up to 0.3 of 7 pixels = 2 each way: the L's corner (1, 5) lands within 2 pixels of itself
        Augmentation shift = new Augmentation(true, 0, false, false, 0, 0.3);
        Set<String> moves = new HashSet<>();
        for (int t = 0; t < 60; t++) {
            float[] d = img.clone();
            shift.apply(d, 0, 1, 7, 7, rnd, new float[49]);
            boolean found = false;
            for (int dy = -2; dy <= 2 && !found; dy++) {
                for (int dx = -2; dx <= 2 && !found; dx++) {
                    float[] e = img.clone();
                    ImageTransforms.shift(e, 0, 1, 7, 7, dx, dy, new float[49]);
                    if (java.util.Arrays.equals(e, d)) {
                        moves.add(dx + "," + dy);
                        found = true;
                    }
                }
            }
            assertTrue(found, "a shift of at most 2 pixels");
        }
        assertTrue(moves.size() > 10, "many of the 25 shifts are drawn: " + moves);
    }

    @Test
    void everyTransformTogetherRepeatsForTheSameSeedEpochAndRecordOnly() {
        ImageShape s = new ImageShape(1, 8, 8);
        byte[] px = new byte[4 * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 13);
        }
        ImageBatch batch = new ImageBatch(s, new short[] {0, 1, 2, 1}, px);
        Augmentation all = new Augmentation(true, 2, true, true, 15, 0.2);
        DataSet a = new ImageRecordLoader(3, all, 42, 3, 1).toDataSet(batch, "hdfs://nn/data/shards/train-00001.bin#7");
        DataSet b = new ImageRecordLoader(3, all, 42, 3, 1).toDataSet(batch, "hdfs://nn/data/shards/train-00001.bin#7");
        assertEquals(a.getFeatures(), b.getFeatures(), "same seed, epoch and record: the same images on any worker, in any rerun");
        assertFalse(a.getFeatures().equals(new ImageRecordLoader(3, all, 42, 4, 1).toDataSet(batch, "hdfs://nn/data/shards/train-00001.bin#7")
                .getFeatures()), "another epoch");
        assertFalse(a.getFeatures().equals(new ImageRecordLoader(3, all, 43, 3, 1).toDataSet(batch, "hdfs://nn/data/shards/train-00001.bin#7")
                .getFeatures()), "another seed");
        assertFalse(a.getFeatures().equals(new ImageRecordLoader(3, all, 42, 3, 1).toDataSet(batch, "hdfs://nn/data/shards/train-00001.bin#8")
                .getFeatures()), "another record");
        assertEquals(a.getLabels(), new ImageRecordLoader(3, Augmentation.OFF, 42, 3, 1).toDataSet(batch, "x#0").getLabels(), "labels untouched");
        assertNotEquals(ImageRecordLoader.augmentationSeed(42, 1, "s#1"), ImageRecordLoader.augmentationSeed(42, 11, "s#"),
                "epoch and record do not run together");
    }
}
