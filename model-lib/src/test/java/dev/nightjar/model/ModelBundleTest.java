package dev.nightjar.model;

import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelBundleTest {

    @Test
    void saveThenLoadKeepsWeightsLabelsAndProvenance(@TempDir Path tmp) throws Exception {
        MultiLayerNetwork net = ImageClassifiers.create(ImageModelConfig.from(Configs.defaults()), new ImageShape(1, 28, 28), 3, 1);
        LabelMap labels = new LabelMap(List.of("cat", "dog", "owl"));
        Map<String, Object> prov = Map.of("input_shape", Map.of("channels", 1, "height", 28, "width", 28), "seed", 42);
        Path dir = tmp.resolve("model");
        new ModelBundle(net, labels, null, prov).save(dir);
        // saving again replaces the bundle and leaves no temporary directories behind
        new ModelBundle(net, labels, null, prov).save(dir);
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(dir), s.toList());
        }

        ModelBundle back = ModelBundle.load(dir);
        assertEquals(net.params(), back.network().params());
        assertEquals(labels, back.labels());
        assertEquals(new ImageShape(1, 28, 28), back.inputShape());
        assertEquals(42, ((Number) back.provenance().get("seed")).intValue());
    }

    /** The state a save killed between its two renames leaves: the old bundle aside, the new one not yet in place. */
    @Test
    void aSaveKilledBetweenItsRenamesLeavesThePreviousBundleLoadable(@TempDir Path tmp) throws Exception {
        MultiLayerNetwork net = ImageClassifiers.create(ImageModelConfig.from(Configs.defaults()), new ImageShape(1, 28, 28), 2, 1);
        Path dir = tmp.resolve("model");
        new ModelBundle(net, new LabelMap(List.of("a", "b")), null, Map.of()).save(dir);
        Files.move(dir, tmp.resolve(".model.old-1234"));
        Files.createDirectory(tmp.resolve(".model.tmp-5678")); // the new bundle, half written
        ModelBundle back = ModelBundle.load(dir);
        assertEquals(net.params(), back.network().params());
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void corruptModelFileIsNamedInTheError(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(dir.resolve(ModelBundle.MODEL_FILE), "not a zip");
        new LabelMap(List.of("a", "b")).save(dir);
        UserException e = assertThrows(UserException.class, () -> ModelBundle.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve(ModelBundle.MODEL_FILE).toString()), e.getMessage());

        UserException missing = assertThrows(UserException.class, () -> ModelBundle.load(tmp.resolve("nothing")));
        assertTrue(missing.getMessage().contains("nothing"));
    }

    /**
     * A crafted model.zip with a {@code preprocessor.bin} holding a serialized object: DL4J would read it with a
     * plain ObjectInputStream (running the object's readObject). It is refused, naming the file, and the object
     * is never deserialized; the same model without the extra entry loads.
     */
    @Test
    void aModelZipWithASerializedPayloadIsRefusedWithoutDeserializingIt(@TempDir Path tmp) throws Exception {
        MultiLayerNetwork net = ImageClassifiers.create(ImageModelConfig.from(Configs.defaults()), new ImageShape(1, 28, 28), 2, 1);
        Path dir = tmp.resolve("model");
        new ModelBundle(net, new LabelMap(List.of("a", "b")), null, Map.of()).save(dir);
        Path zip = dir.resolve(ModelBundle.MODEL_FILE);
        byte[] plain = Files.readAllBytes(zip);

        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(payload)) {
            out.writeObject(new SerialPayload());
        }
        Files.write(zip, withEntry(plain, "preprocessor.bin", payload.toByteArray()));
        SerialPayload.deserialized = false;
        UserException e = assertThrows(UserException.class, () -> ModelBundle.load(dir));
        assertTrue(e.getMessage().contains(zip.toString()) && e.getMessage().contains("preprocessor.bin"), e.getMessage());
        assertFalse(SerialPayload.deserialized, "the payload was deserialized");

        Files.write(zip, withEntry(plain, "evil.class", new byte[] {1, 2, 3}));
        UserException other = assertThrows(UserException.class, () -> ModelBundle.load(dir));
        assertTrue(other.getMessage().contains("evil.class"), other.getMessage());

        Files.write(zip, plain);
        assertEquals(net.params(), ModelBundle.load(dir).network().params());
    }

    /** The zip with one more entry appended. */
    private static byte[] withEntry(byte[] zip, String name, byte[] content) throws java.io.IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip));
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(buf)) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(in.readAllBytes());
                out.closeEntry();
            }
            out.putNextEntry(new java.util.zip.ZipEntry(name));
            out.write(content);
            out.closeEntry();
        }
        return buf.toByteArray();
    }
}
