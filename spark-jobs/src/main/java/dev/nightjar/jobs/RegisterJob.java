package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.eval.ModelComparison;
import dev.nightjar.model.Embeddings;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.family.DatasetKind;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.MetricsKind;
import dev.nightjar.score.Reading;
import dev.nightjar.score.ScoreConfig;
import dev.nightjar.storage.Bundles;
import dev.nightjar.storage.Registry;
import dev.nightjar.storage.RunLock;
import dev.nightjar.train.TrainConfig;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * {@code train|baseline --register-to REGISTRY --model-name NAME}: copies a finished run's model
 * ({@code RUN/model}: a network bundle or the baseline's MLlib pipeline bundle) into the next version,
 * measures it and the current LATEST on the same split of the same dataset, writes both numbers and
 * the decision to the version's gate.json, and moves LATEST only when the gate passes. Text
 * classifiers (networks of a classification family and MLlib pipelines, in any mix) are compared on
 * the dataset's documents read from their text ({@link ModelComparison}): gate.json adds both
 * accuracies with 95% intervals and McNemar's test on the documents where exactly one is right.
 * Every step can be repeated: the version made from this run (same run directory, same weights) is
 * found again, a decided gate is not re-run, and the run directory's {@code registered.json} marks
 * the whole thing done.
 */
public final class RegisterJob {
    public static final String MARKER = "registered.json";
    private static final Logger LOG = LoggerFactory.getLogger(RegisterJob.class);

    /**
     * @param decision promoted | refused
     * @param latest   the version LATEST points at afterwards
     */
    public record Outcome(String name, String version, String decision, String latest, Map<String, Object> gate) {
        public boolean promoted() {
            return "promoted".equals(decision);
        }
    }

    private RegisterJob() {
    }

    /** What an earlier run of this registration recorded in the run directory, or null. */
    public static Outcome previous(String registry, String name, String runDir, Configuration conf) {
        String marker = HadoopFiles.qualify(runDir, conf) + "/" + MARKER;
        if (!HadoopFiles.exists(marker, conf)) {
            return null;
        }
        Map<?, ?> m = HadoopFiles.readJson(marker, Map.class, conf);
        Registry reg = new Registry(registry, conf);
        if (!reg.root().equals(m.get("registry")) || !name.equals(m.get("name"))) {
            return null;
        }
        String version = (String) m.get("version");
        return new Outcome(name, version, (String) m.get("decision"), reg.latest(name), reg.gate(name, version));
    }

    /** Registers under the run directory's lock, so a second job on the same run waits its turn or refuses. */
    @SuppressWarnings("try") // the lock is held, not used, for the body's duration
    public static Outcome run(String registry, String name, String runDir, String data, Config config, JavaSparkContext sc) {
        Configuration conf = sc.hadoopConfiguration();
        String run = HadoopFiles.qualify(runDir, conf);
        try (RunLock lock = RunLock.acquire(run, conf, Duration.ofSeconds(TrainConfig.from(config).lockStaleSeconds()))) {
            return register(new Registry(registry, conf), name, run, data, config, sc);
        }
    }

    /**
     * The version already copied from this run's current model (same run directory, same weights) whose
     * registration did not finish, or null: a re-run finishes it rather than making the model again.
     */
    public static String copied(String registry, String name, String runDir, Configuration conf) {
        String run = HadoopFiles.qualify(runDir, conf);
        String modelDir = run + "/" + TrainJob.MODEL_DIR;
        if (!HadoopFiles.exists(modelDir + "/" + ModelBundle.MODEL_FILE, conf) && !Bundles.isPipeline(modelDir, conf)) {
            return null;
        }
        return new Registry(registry, conf).findRegistered(name, run, Bundles.weightsId(modelDir, conf));
    }

    private static Outcome register(Registry reg, String name, String run, String data, Config config, JavaSparkContext sc) {
        Configuration conf = sc.hadoopConfiguration();
        String modelDir = registrable(run, conf);
        Map<?, ?> provenance = HadoopFiles.readJson(modelDir + "/" + ModelBundle.PROVENANCE_FILE, Map.class, conf);
        String weights = Bundles.weightsId(modelDir, conf);
        String version = reg.findRegistered(name, run, weights);
        if (version == null) {
            version = reg.add(name, modelDir, registration(Bundles.kind(modelDir, conf), provenance, run, weights, reg));
            LOG.info("registered {} as {}@{} in {}", modelDir, name, version, reg.root());
        } else {
            LOG.info("{} was registered before as {}@{}", modelDir, name, version);
        }
        Map<String, Object> gate = reg.gate(name, version);
        if (gate == null) {
            gate = decide(reg, name, version, HadoopFiles.qualify(data, conf), GateConfig.from(config),
                    Reading.firstWindow(ScoreConfig.BATCH_SIZE.get(config)), sc);
            reg.writeGate(name, version, gate);
        }
        String decision = (String) gate.get("decision");
        // checked and moved under the registry lock: a concurrent registration of a newer version is never undone
        String latest = "promoted".equals(decision) ? reg.advanceLatest(name, version, "gate") : reg.latest(name);
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("registry", reg.root());
        marker.put("name", name);
        marker.put("version", version);
        marker.put("decision", decision);
        marker.put("time", Instant.now().toString());
        HadoopFiles.writeString(run + "/" + MARKER, Json.write(marker) + "\n", conf);
        return new Outcome(name, version, decision, latest, gate);
    }

    /**
     * The run's model directory, checked to hold a model: a network of a known family or an MLlib pipeline.
     * Word vectors are refused by name: they are an input to training, not a model.
     */
    private static String registrable(String run, Configuration conf) {
        String modelDir = run + "/" + TrainJob.MODEL_DIR;
        for (String dir : List.of(modelDir, run)) {
            if (Embeddings.KIND.equals(Bundles.kind(dir, conf))) {
                throw new UserException(dir + " holds word vectors (kind " + Embeddings.KIND + ", from prepare vectors or pretrain vectors): "
                        + "they are an input to train --init-from and prepare --tokenizer-from, not a model, and cannot be registered. "
                        + "Register the run of a model trained on them instead.");
            }
        }
        if (!HadoopFiles.exists(modelDir + "/" + ModelBundle.MODEL_FILE, conf) && !Bundles.isPipeline(modelDir, conf)) {
            throw new UserException("run directory " + run + " has no finished model to register (" + modelDir + ": no "
                    + ModelBundle.MODEL_FILE + " and no MLlib " + Bundles.PIPELINE_DIR + "/)");
        }
        if (!Bundles.isPipeline(modelDir, conf)) {
            Families.named(Bundles.kind(modelDir, conf)); // an unknown kind fails here, before the copy
        }
        return modelDir;
    }

    private static Map<String, Object> registration(String kind, Map<?, ?> provenance, String run, String weights, Registry reg) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("created", Instant.now().toString());
        r.put("kind", kind);
        r.put("run", run);
        r.put("weights", weights);
        Object initFrom = provenance.get("init_from");
        String parent = initFrom == null ? null : reg.versionOf(String.valueOf(initFrom));
        r.put("parent", parent != null ? parent : initFrom);
        r.put("dataset", provenance.get("dataset"));
        r.put("training", provenance.get("training"));
        r.put("git_commit", provenance.get("versions") instanceof Map<?, ?> v ? v.get("git_commit") : null);
        return r;
    }

    /**
     * Measures the version and LATEST on the same split; promoted when the version is not worse by more than the
     * tolerance. Text classifiers are compared on the split's documents ({@link ModelComparison}, reference LATEST):
     * accuracy is ModelComparison's, another metric is measured per model (evaluate for a network, the baseline's
     * own measure for a pipeline). Other models are measured by evaluate on the split's shards.
     *
     * @param reading how a network reads a document in the comparison: its first max-len window, as evaluate does
     */
    static Map<String, Object> decide(Registry reg, String name, String version, String data, GateConfig g, Reading reading,
                                      JavaSparkContext sc) {
        Configuration conf = sc.hadoopConfiguration();
        String latest = reg.latest(name);
        String candidateDir = reg.versionDir(name, version);
        String latestDir = latest == null ? null : reg.versionDir(name, latest);
        boolean text = textClassifiers(data, candidateDir, latestDir, conf);
        String kind = Bundles.kind(candidateDir, conf);
        String metric = g.metricFor(text ? MetricsKind.CLASSIFIER : Families.named(kind).metrics());
        Map<String, Object> candidate = model(version, kind);
        Map<String, Object> current = latest == null ? null : model(latest, Bundles.kind(latestDir, conf));
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("metric", metric);
        gate.put("higher_is_better", GateConfig.higherIsBetter(metric));
        gate.put("tolerance", g.tolerance());
        gate.put("dataset", data);
        gate.put("split", g.split());
        if (text) {
            Map<String, ModelComparison.Result> r = compare(data, g.split(), version, candidateDir, latest, latestDir, reading, sc);
            gate.put("compared_on", ClassificationPrep.DOCS_DIR);
            gate.put("documents", r.get(version).documents());
            accuracy(candidate, r.get(version));
            if (latest != null) {
                accuracy(current, r.get(latest));
                ModelComparison.Paired p = r.get(version).vsReference();
                Map<String, Object> mcnemar = new LinkedHashMap<>();
                mcnemar.put("only_latest_right", p.onlyReference());
                mcnemar.put("only_candidate_right", p.onlyThis());
                mcnemar.put("p", p.mcnemarP());
                gate.put("mcnemar", mcnemar);
            }
        }
        candidate.put("value", value(candidate, candidateDir, data, g.split(), metric, sc));
        if (current != null) {
            current.put("value", value(current, latestDir, data, g.split(), metric, sc));
        }
        gate.put("candidate", candidate);
        if (current != null) {
            gate.put("latest", current);
        }
        String decision;
        String reason;
        if (latest == null) {
            decision = "promoted";
            reason = "the first version: there is no LATEST yet";
        } else {
            double c = (Double) candidate.get("value");
            double l = (Double) current.get("value");
            boolean pass = g.passes(metric, c, l);
            decision = pass ? "promoted" : "refused";
            reason = String.format(Locale.ROOT, "%s %s %.6f vs LATEST %s %.6f: %s by more than the tolerance %s", metric, version,
                    c, latest, l, pass ? "not worse" : "worse", g.tolerance());
            if (gate.get("mcnemar") instanceof Map<?, ?> m) {
                reason += String.format(Locale.ROOT, " (McNemar p %.4g, %s vs %s documents right only by one)", (Double) m.get("p"),
                        m.get("only_candidate_right"), m.get("only_latest_right"));
            }
        }
        gate.put("decision", decision);
        gate.put("reason", reason);
        gate.put("time", Instant.now().toString());
        LOG.info("gate for {}@{}: {} ({})", name, version, decision, reason);
        return gate;
    }

    /**
     * Whether the gate compares text classifiers: a classification dataset, and the version or LATEST is an
     * MLlib pipeline or a network of a classification family (the other must then be a text classifier too).
     */
    private static boolean textClassifiers(String data, String candidateDir, String latestDir, Configuration conf) {
        String dataKind = Manifest.read(data, conf).kind();
        boolean classification = DatasetKind.CLASSIFICATION.manifestName().equals(dataKind);
        boolean pipeline = Bundles.isPipeline(candidateDir, conf) || latestDir != null && Bundles.isPipeline(latestDir, conf);
        if (pipeline && !classification) {
            throw new UserException("an MLlib pipeline is gated on a " + DatasetKind.CLASSIFICATION.manifestName() + " dataset's documents; "
                    + data + " is a '" + dataKind + "' dataset");
        }
        return classification && (pipeline || textFamily(candidateDir, conf) || latestDir != null && textFamily(latestDir, conf));
    }

    private static boolean textFamily(String dir, Configuration conf) {
        String kind = Bundles.kind(dir, conf);
        return Families.all().stream().anyMatch(f -> f.name().equals(kind) && f.dataset() == DatasetKind.CLASSIFICATION);
    }

    /** Both models on the split's documents, read from their text; LATEST is the reference. */
    private static Map<String, ModelComparison.Result> compare(String data, String split, String version, String candidateDir, String latest,
                                                               String latestDir, Reading reading, JavaSparkContext sc) {
        String docsDir = data + "/" + ClassificationPrep.DOCS_DIR;
        if (!HadoopFiles.exists(docsDir, sc.hadoopConfiguration())) {
            throw new UserException("dataset " + data + " has no " + ClassificationPrep.DOCS_DIR + "/ (its documents), which the gate compares "
                    + "text classifiers on: prepare it again with this Nightjar");
        }
        Dataset<Row> docs = SparkSession.builder().sparkContext(sc.sc()).getOrCreate().read().parquet(docsDir)
                .filter(col("split").equalTo(split));
        List<ModelComparison.Candidate> models = new ArrayList<>(List.of(new ModelComparison.Candidate(version, candidateDir)));
        if (latest != null) {
            models.add(new ModelComparison.Candidate(latest, latestDir));
        }
        Map<String, ModelComparison.Result> r = ModelComparison.run(docs, models, latest, reading, sc);
        if (r.get(version).documents() == 0) {
            throw new UserException("dataset " + data + " has no documents in its '" + split + "' split (registry.gate.split)");
        }
        return r;
    }

    private static Map<String, Object> model(String version, String kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("kind", kind);
        return m;
    }

    private static void accuracy(Map<String, Object> model, ModelComparison.Result r) {
        model.put("accuracy", r.accuracy());
        model.put("accuracy_low", r.low());
        model.put("accuracy_high", r.high());
        model.put("correct", r.correct());
    }

    /** The gate's metric for one model: the comparison's accuracy when it has one, else measured on the split. */
    private static double value(Map<String, Object> model, String dir, String data, String split, String metric, JavaSparkContext sc) {
        if (metric.equals("accuracy") && model.get("accuracy") instanceof Double a) {
            return a;
        }
        Map<String, Double> m = Bundles.isPipeline(dir, sc.hadoopConfiguration()) ? BaselineJob.evaluate(dir, data, split, sc).summary()
                : EvaluateJob.run(new EvaluateJob.Options(dir, data, split, null, 0), sc).summary();
        Double value = m.get(metric);
        if (value == null) {
            throw new UserException("registry.gate.metric " + metric + " is not measured for a " + model.get("kind") + " (it has " + m.keySet() + ")");
        }
        return value;
    }
}
