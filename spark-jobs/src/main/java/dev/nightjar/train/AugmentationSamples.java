package dev.nightjar.train;

import dev.nightjar.data.image.Augmentation;
import dev.nightjar.data.image.ImageRecordLoader;
import dev.nightjar.model.ImageShape;
import dev.nightjar.report.Html;
import dev.nightjar.report.CaptionedGrid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's sample of augmentation: the first images of one train record as stored and as the
 * loader hands them to a worker in the first epochs (the same seed, so exactly what training saw).
 */
public final class AugmentationSamples {
    static final int IMAGES = 8;
    static final int EPOCHS = 4;

    private AugmentationSamples() {
    }

    /**
     * @param record     a train record ({@code shard#record}); read on the driver, one minibatch
     * @param numClasses the dataset's classes
     * @return an HTML section with the grid: a row per image, original then epochs 1..{@value #EPOCHS}
     */
    public static String html(String record, int numClasses, Augmentation augmentation, long seed) throws IOException {
        INDArray original = new ImageRecordLoader(numClasses, Augmentation.OFF, seed, 0, 1).load(record).getFeatures();
        List<INDArray> epochs = new ArrayList<>();
        for (int e = 0; e < EPOCHS; e++) {
            DataSet ds = new ImageRecordLoader(numClasses, augmentation, seed, e, 1).load(record);
            epochs.add(ds.getFeatures());
        }
        long[] s = original.shape();
        ImageShape shape = new ImageShape((int) s[1], (int) s[2], (int) s[3]);
        List<CaptionedGrid.Cell> cells = new ArrayList<>();
        for (int i = 0; i < Math.min(IMAGES, s[0]); i++) {
            cells.add(new CaptionedGrid.Cell(image(original, i), "original"));
            for (int e = 0; e < EPOCHS; e++) {
                cells.add(new CaptionedGrid.Cell(image(epochs.get(e), i), "epoch " + (e + 1)));
            }
        }
        String what = String.format(Locale.ROOT, "horizontal flip %s, vertical flip %s, rotation up to %.0f degrees, shift up to %.0f%%, "
                        + "crop after %d pixels of padding", augmentation.flip() ? "on" : "off", augmentation.verticalFlip() ? "on" : "off",
                augmentation.rotation(), augmentation.shift() * 100, augmentation.cropPadding());
        return "<h2>Augmentation</h2>\n<p>" + Html.escape(what) + ". The first images of train record " + Html.escape(record)
                + " as stored and as the workers loaded them in the first " + EPOCHS + " epochs:</p>\n"
                + Html.img(CaptionedGrid.render(cells, shape, 1 + EPOCHS), "augmented training images") + "\n";
    }

    static float[] image(INDArray batch, int i) {
        return batch.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup('c').data().asFloat();
    }
}
