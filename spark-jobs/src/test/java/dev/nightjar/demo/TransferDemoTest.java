package dev.nightjar.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.testing.SyntheticImages;
import dev.nightjar.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transfer demo's whole chain on a tiny synthetic slice (10 classes of 28x28 images, a small convnet, one epoch
 * everywhere, two seeds): conf/transfer.conf resolves, both pretrainings and all four candidates train, and
 * comparison.json and report.html agree with what was measured. Accuracies are not asserted.
 */
class TransferDemoTest {
    private static final List<String> CANDIDATES = List.of(TransferDemo.FROM_SUPERVISED, TransferDemo.FROM_AUTOENCODER,
            TransferDemo.SCRATCH, TransferDemo.SCRATCH_AUGMENTED);

    @TempDir
    Path tmp;

    @Test
    void theDemoChainWritesEveryCandidateWithItsTestAccuracyAndTheReportListsThem() throws Exception {
        Path raw = Files.createDirectories(tmp.resolve("raw"));
        Path train = SyntheticImages.writeIdx(raw, "train", 800, 28, 10, 1);
        Path test = SyntheticImages.writeIdx(raw, "test", 300, 28, 10, 2);
        Config c = Configs.layered(Configs.defaults(), Configs.parseJobFile(Path.of("..", "conf", "transfer.conf").toString()),
                Configs.parseOverrides(List.of("model.conv-filters=[4,8]", "model.convs-per-block=1", "model.dense-units=16",
                        "prepare.images.batch-size=32", "demo.transfer.per-class=12", "demo.transfer.batch-size=8",
                        "demo.transfer.epochs=1", "demo.transfer.seeds=2", "train.rounds-per-segment=2")));
        TransferDemo.Result r = TransferDemo.run(new TransferDemo.Options(tmp.resolve("demo"), train.toString(), test.toString(), c),
                SharedSpark.get());

        Path dir = tmp.resolve("demo").resolve(TransferDemo.DIR);
        assertEquals(dir, r.dir());
        JsonNode json = Json.MAPPER.readTree(dir.resolve(TransferDemo.COMPARISON_FILE).toFile());
        JsonNode task = json.get("task");
        assertEquals(List.of("5", "6", "7", "8", "9"), names(task.get("target_classes")));
        assertEquals(List.of("0", "1", "2", "3", "4"), names(task.get("pretrain_classes")));
        assertEquals(60, task.get("labelled_images").asLong(), "12 per class, no validation split");
        long testImages = task.get("test_images").asLong();
        assertTrue(testImages > 100 && testImages < 200, "the test images of classes 5-9 only: " + testImages);
        assertEquals(CANDIDATES, names(json.get("test").fieldNames()));
        String report = Files.readString(dir.resolve(TransferDemo.REPORT_FILE));
        for (String name : CANDIDATES) {
            JsonNode t = json.at("/test/" + name);
            double acc = t.get("accuracy").asDouble();
            assertTrue(acc >= 0 && acc <= 1, name + ": " + acc);
            assertEquals(testImages, t.get("documents").asLong(), name + " measured on every test image");
            assertEquals(acc, (double) t.get("correct").asLong() / testImages, 1e-12);
            assertTrue(t.get("low").asDouble() <= acc && acc <= t.get("high").asDouble(), name + ": " + t);
            assertEquals(2, json.at("/seeds/per_candidate/" + name + "/accuracies").size(), name + ": one accuracy per seed");
            assertEquals(acc, json.at("/seeds/per_candidate/" + name + "/accuracies/0").asDouble(), 1e-12, "the first seed is the test table");
            assertTrue(report.contains("<tr><td>" + name + "</td>"), "the report lists " + name);
            assertTrue(report.contains(String.format(java.util.Locale.ROOT, "<td>%.4f</td>", acc)), name + "'s accuracy in the report");
            if (name.equals(TransferDemo.SCRATCH)) {
                assertTrue(t.get("vs_reference").isNull(), "scratch is the reference");
            } else {
                JsonNode v = t.get("vs_reference");
                assertEquals(TransferDemo.SCRATCH, v.get("reference").asText());
                double scratch = json.at("/test/scratch/accuracy").asDouble();
                assertEquals(acc - scratch, v.get("difference").asDouble(), 1e-12, "paired difference = accuracy difference");
                assertEquals(acc - scratch, (v.get("only_this").asLong() - v.get("only_reference").asLong()) / (double) testImages, 1e-12);
                double p = v.get("mcnemar_p").asDouble();
                assertTrue(p > 0 && p <= 1, name + ": p " + p);
            }
        }
        assertTrue(json.at("/training/" + TransferDemo.FROM_SUPERVISED + "/init_from").asText().endsWith("supervised/model"));
        assertTrue(json.at("/training/" + TransferDemo.FROM_AUTOENCODER + "/init_from").asText().endsWith("autoencoder/model"));
        assertTrue(json.at("/training/" + TransferDemo.SCRATCH + "/init_from").isNull());
        assertEquals("image-autoencoder", json.at("/pretraining/autoencoder/family").asText());
        assertNotNull(json.at("/pretraining/autoencoder/validation/mse_per_pixel").numberValue());
        assertNotNull(json.at("/pretraining/supervised/validation/accuracy").numberValue());
        assertTrue(report.contains("<td>autoencoder</td><td>1</td><td>mse_per_pixel "), "the pretrainings' validation in the report");
        assertTrue(Files.isRegularFile(dir.resolve("seed-43/scratch-augmented/model/model.zip")), "the second seed's runs");
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new java.util.ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static List<String> names(java.util.Iterator<String> it) {
        List<String> names = new java.util.ArrayList<>();
        it.forEachRemaining(names::add);
        return names;
    }
}
