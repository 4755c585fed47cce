package dev.nightjar.model;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.nightjar.UserException;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.util.AtomicFiles;
import dev.nightjar.util.Json;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model never travels without the labels and tokenizer it was trained with: {@code model.zip}
 * (updater included), {@code labels.json} (classifiers), {@code tokenizer.json} (text models)
 * and {@code provenance.json} in one directory.
 *
 * @param labels    class names, or null for a language model
 * @param tokenizer the tokenizer of a text model, or null for an image model
 */
public record ModelBundle(Network network, LabelMap labels, Tokenizer tokenizer, Map<String, Object> provenance) {
    public static final String MODEL_FILE = "model.zip";

    public ModelBundle(MultiLayerNetwork network, LabelMap labels, Tokenizer tokenizer, Map<String, Object> provenance) {
        this(Network.of(network), labels, tokenizer, provenance);
    }
    public static final String PROVENANCE_FILE = "provenance.json";

    /** Writes the bundle to a temporary sibling directory, then moves it into place. */
    public void save(Path dir) {
        Path tmp = AtomicFiles.tempSibling(dir);
        try {
            Files.write(tmp.resolve(MODEL_FILE), network.toBytes(true));
            if (labels != null) {
                labels.save(tmp);
            }
            if (tokenizer != null) {
                tokenizer.save(tmp);
            }
            Json.writeFile(tmp.resolve(PROVENANCE_FILE), provenance);
            AtomicFiles.publishDir(tmp, dir);
        } catch (IOException e) {
            AtomicFiles.deleteRecursively(tmp);
            throw new UncheckedIOException("cannot write model bundle " + dir, e);
        }
    }

    /** Whether a directory holds a whole bundle's files (model.zip and provenance.json, written last). */
    static boolean isWhole(Path dir) {
        return Files.isRegularFile(dir.resolve(MODEL_FILE)) && Files.isRegularFile(dir.resolve(PROVENANCE_FILE));
    }

    public static ModelBundle load(Path dir) {
        // a save killed half-way leaves the previous bundle aside: the newest whole one comes back
        AtomicFiles.recoverDir(dir, ModelBundle::isWhole);
        if (!Files.isDirectory(dir)) {
            throw new UserException("model directory not found: " + dir);
        }
        Path model = dir.resolve(MODEL_FILE);
        if (!Files.isRegularFile(model)) {
            throw new UserException("not a model bundle: " + dir + " has no " + MODEL_FILE);
        }
        Network net;
        try {
            net = Network.fromBytes(Files.readAllBytes(model), true, model.toString());
        } catch (UserException e) {
            throw e; // names the file already
        } catch (IOException | RuntimeException e) {
            throw new UserException("cannot load " + model + " (corrupt or not a DL4J model): " + e.getMessage(), e);
        }
        LabelMap labels = Files.isRegularFile(dir.resolve(LabelMap.FILE)) ? LabelMap.load(dir) : null;
        Tokenizer tokenizer = Files.isRegularFile(dir.resolve(Tokenizer.FILE)) ? Tokenizer.load(dir) : null;
        Map<String, Object> prov = Files.isRegularFile(dir.resolve(PROVENANCE_FILE))
                ? Json.MAPPER.convertValue(Json.readFile(dir.resolve(PROVENANCE_FILE), Map.class),
                new TypeReference<LinkedHashMap<String, Object>>() { })
                : Map.of();
        return new ModelBundle(net, labels, tokenizer, prov);
    }

    /** The kind recorded at training time: image-classifier, language-model, ... */
    public String kind() {
        return String.valueOf(provenance.getOrDefault("kind", "image-classifier"));
    }

    /** The language model's tokenizer; a clear error for any other model. */
    public Tokenizer requireTokenizer() {
        if (tokenizer == null) {
            throw new UserException("the model is a " + kind() + " and has no " + Tokenizer.FILE + "; a text model is needed");
        }
        return tokenizer;
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
