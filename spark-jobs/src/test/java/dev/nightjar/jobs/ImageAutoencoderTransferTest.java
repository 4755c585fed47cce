package dev.nightjar.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.RecordLoaders;
import dev.nightjar.data.image.ImagePrep;
import dev.nightjar.eval.ReconstructionMetrics;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Network;
import dev.nightjar.model.family.DatasetInfo;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.ModelFamily;
import dev.nightjar.data.shard.PathSource;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.testing.SyntheticImages;
import dev.nightjar.train.MetricsLog;
import dev.nightjar.train.SegmentMetrics;
import dev.nightjar.train.TrainingReport;
import dev.nightjar.util.Json;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Image pretraining and transfer on synthetic 12x12 images, two workers on local[2]: a denoising autoencoder trains
 * with parameter averaging and its reconstruction error falls; evaluate measures it per pixel; its bundle round-trips
 * and its report shows sample reconstructions; an image classifier for other labels starts from its encoder, which
 * stays bit for bit the same under {@code head} fine-tuning; another input shape is refused naming both.
 */
class ImageAutoencoderTransferTest {
    private static final String AUTOENCODER = "image-autoencoder";

    @TempDir
    static Path tmp;
    static String pretrain;
    static String fewLabels;
    static Path aeRun;
    static TrainJob.Result ae;

    static Config config(String... sets) {
        List<String> all = new java.util.ArrayList<>(List.of("model.lenet-filters=[4,8]", "model.dense-units=16",
                "model.learning-rate=0.01", "train.workers=2", "train.averaging-frequency=2", "train.rounds-per-segment=2",
                "train.checkpoint-every=0"));
        all.addAll(List.of(sets));
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(all));
    }

    static String prepare(String name, int n, int size, int classes, long seed) throws Exception {
        Path raw = Files.createDirectories(tmp.resolve("raw-" + name));
        Path images = SyntheticImages.writeIdx(raw, name, n, size, classes, seed);
        String out = tmp.resolve("data-" + name).toString();
        new ImagePrep(SharedSpark.get()).run(new ImagePrep.Options(images.toString(), out, false, 0.1, 42, new ImageShape(1, size, size),
                16, 256, null, false));
        return out;
    }

    @BeforeAll
    static void pretrainAnAutoencoder() throws Exception {
        pretrain = prepare("pretrain", 960, 12, 3, 1);
        fewLabels = prepare("few", 320, 12, 2, 2);
        aeRun = tmp.resolve("ae");
        ae = TrainJob.run(new TrainJob.Options(config("model.family=" + AUTOENCODER, "train.epochs=2"), pretrain, aeRun.toString(), false),
                SharedSpark.get());
    }

    /** Two workers, parameter averaging: the per-pixel training loss falls and validation improves on the untrained network. */
    @Test
    void theReconstructionLossFallsWithTwoWorkers() throws Exception {
        List<SegmentMetrics> s = ae.segments();
        assertTrue(s.size() >= 4, "segments: " + s.size());
        assertTrue(s.get(s.size() - 1).trainLoss() < 0.7 * s.get(0).trainLoss(),
                "per-pixel loss fell: " + s.get(0).trainLoss() + " -> " + s.get(s.size() - 1).trainLoss());
        assertTrue(s.get(0).trainLoss() < 1, "the loss is per pixel, not summed over the image: " + s.get(0).trainLoss());
        double untrained = msePerPixel(Families.named(AUTOENCODER).setup(new dev.nightjar.model.family.SetupContext(
                config("model.family=" + AUTOENCODER), info(pretrain), 1, null, null)).create(), pretrain, "validation");
        double validation = ae.validation().get("mse_per_pixel");
        assertTrue(validation < 0.5 * untrained, "validation mse per pixel " + validation + " vs untrained " + untrained);
        List<String> lines = Files.readAllLines(aeRun.resolve(MetricsLog.FILE));
        assertTrue(Json.MAPPER.readTree(lines.get(lines.size() - 1)).at("/validation/mse_per_pixel").isNumber(), lines.get(lines.size() - 1));
    }

    /** evaluate: the mean squared error per pixel over the split, as computed image by image on the driver; labels unused. */
    @Test
    void evaluateMeasuresTheReconstructionErrorPerPixelOnAnyImageDataset() throws Exception {
        String model = aeRun.resolve(TrainJob.MODEL_DIR).toString();
        ReconstructionMetrics m = EvaluateJob.reconstruction(new EvaluateJob.Options(model, pretrain, "validation",
                tmp.resolve("eval").toString(), 0), SharedSpark.get());
        Network net = ModelBundle.load(Path.of(model)).network();
        assertEquals(msePerPixel(net, pretrain, "validation"), m.msePerPixel(), 1e-6);
        assertEquals(10 * Math.log10(1 / m.msePerPixel()), m.psnrDb(), 1e-9);
        JsonNode json = Json.MAPPER.readTree(tmp.resolve("eval/" + EvaluateJob.METRICS_FILE).toFile());
        assertEquals(m.msePerPixel(), json.get("mse_per_pixel").asDouble(), 1e-12);
        // the few-label set has other labels: an autoencoder does not use them
        ReconstructionMetrics other = EvaluateJob.reconstruction(new EvaluateJob.Options(model, fewLabels, "validation", null, 0),
                SharedSpark.get());
        assertTrue(other.images() > 0 && other.msePerPixel() < 0.1, "mse per pixel " + other.msePerPixel());
    }

    @Test
    void theBundleRoundTripsAndTheReportShowsSampleReconstructions() throws Exception {
        ModelBundle saved = ModelBundle.load(aeRun.resolve(TrainJob.MODEL_DIR));
        ModelFamily family = Families.of(saved);
        assertEquals(AUTOENCODER, family.name());
        assertEquals(new ImageShape(1, 12, 12), saved.inputShape());
        assertEquals(ae.bundle().network().params(), saved.network().params());
        assertEquals(ae.bundle().network().updaterState(), saved.network().updaterState());
        DataSet ds = firstRecord(pretrain, "validation", saved.network());
        assertEquals(ae.bundle().network().output(ds.getFeatures(), null), saved.network().output(ds.getFeatures(), null));
        assertEquals("gaussian", saved.provenance().get("noise"));
        assertEquals(4, saved.provenance().get("encoder_layers"));

        String report = Files.readString(aeRun.resolve(TrainingReport.FILE));
        int at = report.indexOf("Sample reconstructions");
        assertTrue(at > 0, "the report has a reconstruction grid");
        Matcher png = Pattern.compile("alt=\"sample reconstructions[^\"]*\" src=\"data:image/png;base64,([^\"]+)\"").matcher(report);
        assertTrue(png.find(), "the grid is an embedded PNG");
        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.group(1))));
        int cell = 12 * 4 + 4; // 12 pixels scaled 4x, a 4-pixel gap
        assertEquals(8 * cell + 4, grid.getWidth(), "4 pairs (input | reconstruction) per row");
        assertEquals(16 + 4 * cell + 4, grid.getHeight(), "16 samples in 4 rows under a caption line");
    }

    /**
     * {@code --init-from} the autoencoder on a dataset with other labels, {@code head} on two workers: the classifier's
     * trunk is the autoencoder's encoder bit for bit after training, the new head trained; provenance says so.
     */
    @Test
    void aClassifierForOtherLabelsFineTunesTheHeadOnTheAutoencodersFrozenEncoder() throws Exception {
        Path run = tmp.resolve("head");
        String from = aeRun.resolve(TrainJob.MODEL_DIR).toString();
        TrainJob.Result r = TrainJob.run(new TrainJob.Options(config("model.transfer.finetune=head", "train.epochs=2"), fewLabels,
                run.toString(), false, from), SharedSpark.get());
        ModelBundle saved = ModelBundle.load(run.resolve(TrainJob.MODEL_DIR));
        ModelBundle source = ModelBundle.load(Path.of(from));
        for (int i : new int[] {0, 2}) {
            assertEquals(source.network().multiLayer().getLayer(i).params(), saved.network().multiLayer().getLayer(i).params(),
                    "trunk layer " + i + " unchanged");
        }
        assertEquals(List.of("0", "1"), saved.labels().labels());
        int out = saved.network().multiLayer().getnLayers() - 1;
        Network fresh = Families.of(saved).setup(new dev.nightjar.model.family.SetupContext(config("model.transfer.finetune=head"),
                info(fewLabels), 2, source, from)).create();
        assertNotEquals(fresh.multiLayer().getLayer(out).params(), saved.network().multiLayer().getLayer(out).params(), "the head trained");
        assertTrue(r.validation().get("accuracy") > 0.6, "validation " + r.validation());
        JsonNode prov = Json.MAPPER.valueToTree(saved.provenance());
        assertEquals("head", prov.get("finetune").asText());
        assertEquals(AUTOENCODER, prov.get("init_from_kind").asText());
        assertTrue(prov.get("init_from").asText().endsWith("ae/model"), prov.toString());
        assertEquals(4, prov.at("/init_from_layers/layers").asInt());
        assertEquals(2, prov.at("/init_from_layers/copied").size());
    }

    @Test
    void anotherInputShapeIsRefusedBeforeTrainingNamingBothShapes() throws Exception {
        String bigger = prepare("bigger", 64, 16, 2, 3);
        UserException e = assertThrows(UserException.class, () -> TrainJob.run(new TrainJob.Options(config(), bigger,
                tmp.resolve("mismatch").toString(), false, aeRun.resolve(TrainJob.MODEL_DIR).toString()), SharedSpark.get()));
        assertTrue(e.getMessage().contains("1x12x12") && e.getMessage().contains("1x16x16"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("mismatch").resolve(TrainJob.MODEL_DIR)));
    }

    static DatasetInfo info(String data) {
        String d = HadoopFiles.qualify(data, SharedSpark.get().hadoopConfiguration());
        return Manifest.read(d, SharedSpark.get().hadoopConfiguration()).info(d, SharedSpark.get().hadoopConfiguration());
    }

    static DataSet firstRecord(String data, String split, Network net) throws Exception {
        String d = HadoopFiles.qualify(data, SharedSpark.get().hadoopConfiguration());
        String record = Manifest.read(d, SharedSpark.get().hadoopConfiguration()).recordPaths(d, split).get(0);
        return loader(data, net).load(new PathSource(record));
    }

    static DataSetLoader loader(String data, Network net) {
        return RecordLoaders.evaluation(Families.named(AUTOENCODER).input(net), info(data), 1);
    }

    /** The mean squared error per pixel value over a split, image by image on the driver. */
    static double msePerPixel(Network net, String data, String split) throws Exception {
        String d = HadoopFiles.qualify(data, SharedSpark.get().hadoopConfiguration());
        double sse = 0;
        long values = 0;
        for (String record : Manifest.read(d, SharedSpark.get().hadoopConfiguration()).recordPaths(d, split)) {
            DataSet ds = loader(data, net).load(new PathSource(record));
            for (int i = 0; i < ds.numExamples(); i++) {
                org.nd4j.linalg.api.ndarray.INDArray x = ds.getFeatures().slice(i);
                org.nd4j.linalg.api.ndarray.INDArray y = net.output(x.reshape(1, 1, 12, 12), null);
                sse += y.reshape(x.shape()).squaredDistance(x);
                values += x.length();
            }
        }
        return sse / values;
    }
}
