package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.data.image.Augmentation;
import dev.nightjar.data.image.ImagePrep;
import dev.nightjar.data.image.ImageRecordLoader;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.eval.EvaluationReport;
import dev.nightjar.eval.Measurement;
import dev.nightjar.eval.Mistake;
import dev.nightjar.model.ImageShape;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.testing.SyntheticImages;
import dev.nightjar.train.TrainingReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pictures in the reports, on a tiny image model trained for a few minibatches (so it makes
 * mistakes): the train run's report.html shows augmented samples; evaluate's report.html shows the
 * confusion heat map, per-class bars and the most confident misclassified test images.
 */
class ImageReportsTest {
    @TempDir
    static Path tmp;
    static Path run;
    static String testData;

    @BeforeAll
    static void trainWithAugmentation() throws Exception {
        Path train = SyntheticImages.writeIdx(tmp, "train", 320, 16, 4, 3);
        Path test = SyntheticImages.writeIdx(tmp, "test", 200, 16, 4, 4);
        String trainData = tmp.resolve("data/train").toString();
        testData = tmp.resolve("data/test").toString();
        ImageShape any = new ImageShape(1, 16, 16);
        new ImagePrep(SharedSpark.get()).run(new ImagePrep.Options(train.toString(), trainData, false, 0.1, 42, any, 16, 1000, null, false));
        new ImagePrep(SharedSpark.get()).run(new ImagePrep.Options(test.toString(), testData, true, 0, 42, any, 16, 1000, null, false));
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("model.lenet-filters=[4,8]", "model.dense-units=16",
                "model.learning-rate=0.0005", "train.epochs=1", "train.max-records=4", "train.workers=2", "train.averaging-frequency=1",
                "train.checkpoint-every=0", "train.augment.enabled=true", "train.augment.rotation=20", "train.augment.shift=0.1",
                "train.augment.vertical-flip=true")));
        run = tmp.resolve("run");
        TrainJob.run(new TrainJob.Options(c, trainData, run.toString(), false), SharedSpark.get());
    }

    /** The PNG behind {@code <img alt="ALT" src="data:image/png;base64,...">}. */
    static BufferedImage png(String html, String alt) throws Exception {
        Matcher m = Pattern.compile("<img alt=\"" + Pattern.quote(alt) + "\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\">").matcher(html);
        assertTrue(m.find(), "no image '" + alt + "' in the report");
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
    }

    @Test
    void theTrainingReportShowsARecordsImagesAsAugmentedInTheFirstEpochs() throws Exception {
        String report = Files.readString(run.resolve(TrainingReport.FILE));
        assertTrue(report.contains("<h2>Augmentation</h2>") && report.contains("rotation up to 20 degrees"), report);
        BufferedImage grid = png(report, "augmented training images");
        // 8 rows (images) of 5 columns (original, epochs 1 to 4), each image 84 pixels square plus a caption
        assertTrue(grid.getWidth() >= 5 * 84 && grid.getWidth() < 5 * 100, "width " + grid.getWidth());
        assertTrue(grid.getHeight() >= 8 * (84 + 14) && grid.getHeight() < 8 * 110, "height " + grid.getHeight());
        // the first image as stored and in epoch 1 differ (flips, a turn of up to 20 degrees, a shift, a crop)
        int cw = (grid.getWidth() - 6) / 5;
        int differing = 0;
        for (int y = 10; y < 80; y++) {
            for (int x = 10; x < 80; x++) {
                differing += grid.getRGB(6 + x, 6 + y) != grid.getRGB(6 + cw + x, 6 + y) ? 1 : 0;
            }
        }
        assertTrue(differing > 100, "augmented pixels differ: " + differing);
    }

    @Test
    void evaluateWritesAReportWithTheHeatMapBarsAndTheMostConfidentMistakes() throws Exception {
        String model = run.resolve(TrainJob.MODEL_DIR).toString();
        Path out = tmp.resolve("eval");
        Measurement m = EvaluateJob.run(new EvaluateJob.Options(model, testData, "test", out.toString(), 3), SharedSpark.get());
        ClassificationMetrics cm = (ClassificationMetrics) m.metrics();
        long errors = cm.examples() - Math.round(cm.accuracy() * cm.examples());
        assertTrue(errors > EvaluationReport.MISTAKES_SHOWN, "the barely trained model errs often: " + errors);

        String report = Files.readString(out.resolve(EvaluationReport.FILE));
        BufferedImage heat = png(report, "Confusion matrix (% of the true class)");
        assertTrue(heat.getWidth() > 300 && heat.getHeight() > 300);
        png(report, "Precision and recall per class");
        assertTrue(report.contains("The 64 most confident of " + errors + " mistakes"), report);
        BufferedImage grid = png(report, "misclassified images");
        assertTrue(grid.getHeight() >= 8 * (84 + 14) && grid.getHeight() < 8 * 110, "8 rows of 8: height " + grid.getHeight());
        assertTrue(!report.contains("http"), "self-contained");

        // each mistake is the image its record holds, with that record's true label, most confident first
        List<Mistake> mistakes = m.mistakes();
        assertEquals(EvaluationReport.MISTAKES_SHOWN, mistakes.size());
        ImageRecordLoader loader = new ImageRecordLoader(4, Augmentation.OFF, 0, 0, 1);
        for (int i = 0; i < mistakes.size(); i++) {
            Mistake k = mistakes.get(i);
            assertNotEquals(k.actual(), k.predicted());
            assertTrue(i == 0 || mistakes.get(i - 1).confidence() >= k.confidence(), "most confident first");
            DataSet ds = loader.load(k.record());
            assertEquals(k.actual(), ds.getLabels().getRow(k.index()).argMax().getInt(0));
            float[] stored = ds.getFeatures().get(NDArrayIndex.point(k.index()), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .dup('c').data().asFloat();
            assertArrayEquals(stored, k.pixels(), 1e-6f);
        }

        // the same mistakes however the records are partitioned (merged in any order)
        Measurement one = EvaluateJob.run(new EvaluateJob.Options(model, testData, "test", null, 1), SharedSpark.get());
        assertEquals(mistakes.stream().map(k -> k.record() + "/" + k.index()).toList(),
                one.mistakes().stream().map(k -> k.record() + "/" + k.index()).toList());
    }
}
