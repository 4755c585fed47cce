package dev.nightjar.model;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.nightjar.UserException;
import dev.nightjar.util.AtomicFiles;
import dev.nightjar.util.Json;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model never travels without the labels it was trained with: {@code model.zip} (updater
 * included), {@code labels.json} and {@code provenance.json} in one directory.
 */
public record ModelBundle(MultiLayerNetwork network, LabelMap labels, Map<String, Object> provenance) {
    public static final String MODEL_FILE = "model.zip";
    public static final String PROVENANCE_FILE = "provenance.json";

    /** Writes the bundle to a temporary sibling directory, then moves it into place. */
    public void save(Path dir) {
        Path tmp = AtomicFiles.tempSibling(dir);
        try {
            ModelSerializer.writeModel(network, tmp.resolve(MODEL_FILE).toFile(), true);
            labels.save(tmp);
            Json.writeFile(tmp.resolve(PROVENANCE_FILE), provenance);
            AtomicFiles.publishDir(tmp, dir);
        } catch (IOException e) {
            AtomicFiles.deleteRecursively(tmp);
            throw new UncheckedIOException("cannot write model bundle " + dir, e);
        }
    }

    public static ModelBundle load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException("model directory not found: " + dir);
        }
        Path model = dir.resolve(MODEL_FILE);
        if (!Files.isRegularFile(model)) {
            throw new UserException("not a model bundle: " + dir + " has no " + MODEL_FILE);
        }
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw new UserException("cannot load " + model + " (corrupt or not a DL4J model): " + e.getMessage(), e);
        }
        LabelMap labels = LabelMap.load(dir);
        Map<String, Object> prov = Files.isRegularFile(dir.resolve(PROVENANCE_FILE))
                ? Json.MAPPER.convertValue(Json.readFile(dir.resolve(PROVENANCE_FILE), Map.class),
                new TypeReference<LinkedHashMap<String, Object>>() { })
                : Map.of();
        return new ModelBundle(net, labels, prov);
    }

    /** The input shape recorded at training time. */
    public ImageShape inputShape() {
        Object s = provenance.get("input_shape");
        if (!(s instanceof Map<?, ?> m)) {
            throw new UserException("model provenance has no input_shape");
        }
        return new ImageShape(((Number) m.get("channels")).intValue(), ((Number) m.get("height")).intValue(),
                ((Number) m.get("width")).intValue());
    }
}
