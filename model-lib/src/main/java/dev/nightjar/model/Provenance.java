package dev.nightjar.model;

import dev.nightjar.util.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code provenance.json} of a model bundle, typed and versioned: how the model came to be. The
 * family's own details (input shape, tokenizer, sequence length, warm start) sit at the top level
 * beside the common fields, as in bundles written before the format had a version (read as version 0).
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written
 * @param kind          the model family's name
 * @param created       ISO-8601 instant
 * @param details       the family's provenance (its keys must not clash with the common ones)
 * @param dataset       the dataset trained on
 * @param config        the resolved config
 * @param versions      Nightjar, git commit, Java, Spark, DL4J, ND4J and its backend
 * @param training      how training went
 * @param validation    the validation metrics of the kept weights, main one first, or null
 */
public record Provenance(int formatVersion, String kind, String created, Map<String, Object> details, Dataset dataset,
                         Map<String, Object> config, Map<String, Object> versions, Training training, Map<String, Double> validation) {
    public static final int FORMAT_VERSION = 1;
    public static final String FORMAT_VERSION_KEY = "format_version";
    /** The keys {@link #toMap()} writes itself; a family's details may not use them. */
    static final List<String> COMMON_KEYS = List.of(FORMAT_VERSION_KEY, "created", "kind", "dataset", "config", "versions", "training",
            "metrics");

    /**
     * @param dir           the dataset directory, fully qualified
     * @param contentHash   the manifest's content hash
     * @param trainExamples examples in its train split
     */
    public record Dataset(String dir, String contentHash, long trainExamples) {
    }

    /**
     * @param keptEpoch     the epoch (1-based) whose weights keep-best kept, or null
     * @param skippedShards shards left out by --skip-corrupt (path and reason), or null
     */
    public record Training(int epochs, long examplesSeen, double seconds, double examplesPerSecond, String master, int workers,
                           Integer keptEpoch, List<Map<String, String>> skippedShards) {
    }

    /** The JSON object written as provenance.json (snake_case keys; absent optional fields left out). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(FORMAT_VERSION_KEY, formatVersion);
        m.put("created", created);
        m.put("kind", kind);
        details.forEach((k, v) -> {
            if (COMMON_KEYS.contains(k)) {
                throw new IllegalArgumentException("family provenance key '" + k + "' clashes with a common one");
            }
            m.put(k, v);
        });
        m.put("dataset", plain(dataset));
        m.put("config", config);
        m.put("versions", versions);
        Map<String, Object> t = plain(training);
        t.values().removeIf(java.util.Objects::isNull);
        m.put("training", t);
        if (validation != null) {
            m.put("metrics", Map.of("validation", validation));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(Object record) {
        return Json.MAPPER.convertValue(record, LinkedHashMap.class);
    }
}
