package dev.nightjar.data.image;

import dev.nightjar.model.ImageShape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
