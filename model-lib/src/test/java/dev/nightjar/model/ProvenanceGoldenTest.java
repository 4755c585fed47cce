package dev.nightjar.model;

import dev.nightjar.testing.Golden;
import dev.nightjar.util.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code provenance.json} of a model bundle ({@link Provenance#toMap()} as {@code ModelBundle} writes
 * it: {@code Json.write(map) + "\n"}) for fixed values (no clock, no real versions) against a checked-in
 * golden file. The registry, the gate, {@code score} and users read these keys. Regenerate with
 * {@code mvn -B -o -pl model-lib -Dtest=ProvenanceGoldenTest -Dgolden.update=true test}.
 */
class ProvenanceGoldenTest {

    /** A language model's provenance, every optional field present; ordered maps only, so the key order is fixed. */
    static Provenance languageModel(Map<String, Object> details) {
        Map<String, Object> lm = new LinkedHashMap<>();
        lm.put("input", "embedding");
        lm.put("embedding-size", 64);
        lm.put("lstm-sizes", List.of(256));
        lm.put("tbptt-length", 50);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("family", "language-model");
        model.put("updater", "adam");
        model.put("learning-rate", 0.001);
        model.put("lm", lm);
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("epochs", 2);
        train.put("workers", 2);
        train.put("keep-best", true);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("seed", 42);
        config.put("model", model);
        config.put("train", train);

        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("nightjar", "0.0.0-GOLDEN");
        versions.put("git_commit", "0123456789abcdef0123456789abcdef01234567");
        versions.put("java", "17.0.0");
        versions.put("spark", "3.5.5");
        versions.put("dl4j", "1.0.0-M2");
        versions.put("nd4j", "1.0.0-M2");
        versions.put("nd4j_backend", "backend=CPU, blas=OPENBLAS");

        Map<String, String> skipped = new LinkedHashMap<>();
        skipped.put("path", "hdfs:///nightjar/lm/data/shards/train-00003.bin");
        skipped.put("reason", "record 2 fails its checksum (corrupt data)");

        Map<String, Double> validation = new LinkedHashMap<>();
        validation.put("bits_per_token", 2.0);
        validation.put("nats_per_token", 1.3862943611198906);
        validation.put("perplexity", 4.0);

        return new Provenance(Provenance.FORMAT_VERSION, "language-model", "2024-01-02T03:04:05Z", details,
                new Provenance.Dataset("hdfs:///nightjar/lm/data", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 12_800),
                config, versions,
                new Provenance.Training(2, 25_600, 64.0, 400.0, "local[2]", 2, 2, List.of(skipped)),
                validation);
    }

    /** As LanguageModelFamily writes them (init_from null: trained from scratch). */
    static Map<String, Object> lmDetails() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("seq_len", 64);
        d.put("tokenizer", "char");
        d.put("vocab_size", 70);
        d.put("input", "embedding");
        d.put("init_from", null);
        return d;
    }

    @Test
    void provenanceJson() throws Exception {
        Map<String, Object> map = languageModel(lmDetails()).toMap();
        assertEquals(1, map.get(Provenance.FORMAT_VERSION_KEY));
        Golden.check(ProvenanceGoldenTest.class, "provenance.json", Json.write(map) + "\n");
    }

    @Test
    void optionalTrainingFieldsAndMetricsAreLeftOut() {
        Provenance p = languageModel(lmDetails());
        Provenance bare = new Provenance(p.formatVersion(), p.kind(), p.created(), p.details(), p.dataset(), p.config(), p.versions(),
                new Provenance.Training(2, 25_600, 64.0, 400.0, "local[2]", 2, null, null), null);
        Map<String, Object> map = bare.toMap();
        Map<?, ?> training = (Map<?, ?>) map.get("training");
        assertTrue(!training.containsKey("kept_epoch") && !training.containsKey("skipped_shards"), training.toString());
        assertTrue(!map.containsKey("metrics"), map.keySet().toString());
    }

    @Test
    void aFamilyKeyClashingWithACommonOneIsRefused() {
        for (String key : List.of("format_version", "created", "kind", "dataset", "config", "versions", "training", "metrics")) {
            Map<String, Object> details = lmDetails();
            details.put(key, "family's own");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> languageModel(details).toMap(), key);
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
    }
}
