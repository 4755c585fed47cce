package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.jobs.EvaluateJob;
import dev.nightjar.jobs.TrainJob;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.ModelFamily;
import dev.nightjar.storage.Bundles;
import dev.nightjar.storage.Registry;
import dev.nightjar.storage.RunLock;
import dev.nightjar.train.TrainConfig;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code train --register-to REGISTRY --model-name NAME}: copies a finished run's model into the
 * next version, evaluates it and the current LATEST on the same split of the same dataset, writes
 * both numbers and the decision to the version's gate.json, and moves LATEST only when the gate
 * passes. Every step can be repeated: the version made from this run (same run directory, same
 * weights) is found again, a decided gate is not re-run, and the run directory's
 * {@code registered.json} marks the whole thing done.
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
        Map<?, ?> m = Json.read(HadoopFiles.readString(marker, conf), Map.class);
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

    private static Outcome register(Registry reg, String name, String run, String data, Config config, JavaSparkContext sc) {
        Configuration conf = sc.hadoopConfiguration();
        String modelDir = run + "/" + TrainJob.MODEL_DIR;
        if (!HadoopFiles.exists(modelDir + "/" + ModelBundle.MODEL_FILE, conf)) {
            throw new UserException("run directory " + run + " has no finished model to register (" + modelDir + ")");
        }
        Map<?, ?> provenance = Json.read(HadoopFiles.readString(modelDir + "/" + ModelBundle.PROVENANCE_FILE, conf), Map.class);
        String weights = Bundles.weightsId(modelDir, conf);
        String version = reg.findRegistered(name, run, weights);
        if (version == null) {
            version = reg.add(name, modelDir, registration(provenance, run, weights, reg));
            LOG.info("registered {} as {}@{} in {}", modelDir, name, version, reg.root());
        } else {
            LOG.info("{} was registered before as {}@{}", modelDir, name, version);
        }
        Map<String, Object> gate = reg.gate(name, version);
        if (gate == null) {
            gate = decide(reg, name, version, Families.named(String.valueOf(provenance.get("kind"))), HadoopFiles.qualify(data, conf), GateConfig.from(config), sc);
            reg.writeGate(name, version, gate);
        }
        String decision = (String) gate.get("decision");
        String latest = reg.latest(name);
        if ("promoted".equals(decision) && (latest == null || Registry.number(latest) < Registry.number(version))) {
            reg.moveLatest(name, version, "gate");
            latest = version;
        }
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("registry", reg.root());
        marker.put("name", name);
        marker.put("version", version);
        marker.put("decision", decision);
        marker.put("time", Instant.now().toString());
        HadoopFiles.writeString(run + "/" + MARKER, Json.write(marker) + "\n", conf);
        return new Outcome(name, version, decision, latest, gate);
    }

    private static Map<String, Object> registration(Map<?, ?> provenance, String run, String weights, Registry reg) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("created", Instant.now().toString());
        r.put("kind", provenance.get("kind"));
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

    /** Evaluates the version and LATEST on the same split; promoted when the version is not worse by more than the tolerance. */
    static Map<String, Object> decide(Registry reg, String name, String version, ModelFamily family, String data, GateConfig g, JavaSparkContext sc) {
        String metric = g.metricFor(family.metrics());
        String latest = reg.latest(name);
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("metric", metric);
        gate.put("higher_is_better", GateConfig.higherIsBetter(metric));
        gate.put("tolerance", g.tolerance());
        gate.put("dataset", data);
        gate.put("split", g.split());
        double candidate = evaluate(reg.versionDir(name, version), family, data, g.split(), metric, sc);
        gate.put("candidate", Map.of("version", version, "value", candidate));
        String decision;
        String reason;
        if (latest == null) {
            decision = "promoted";
            reason = "the first version: there is no LATEST yet";
        } else {
            double current = evaluate(reg.versionDir(name, latest), family, data, g.split(), metric, sc);
            gate.put("latest", Map.of("version", latest, "value", current));
            boolean pass = g.passes(metric, candidate, current);
            decision = pass ? "promoted" : "refused";
            reason = String.format(java.util.Locale.ROOT, "%s %s %.6f vs LATEST %s %.6f: %s by more than the tolerance %s", metric, version,
                    candidate, latest, current, pass ? "not worse" : "worse", g.tolerance());
        }
        gate.put("decision", decision);
        gate.put("reason", reason);
        gate.put("time", Instant.now().toString());
        LOG.info("gate for {}@{}: {} ({})", name, version, decision, reason);
        return gate;
    }

    private static double evaluate(String model, ModelFamily family, String data, String split, String metric, JavaSparkContext sc) {
        Map<String, Double> m = EvaluateJob.run(new EvaluateJob.Options(model, data, split, null, 0), sc).summary();
        Double value = m.get(metric);
        if (value == null) {
            throw new UserException("registry.gate.metric " + metric + " is not measured for a " + family.name() + " (it has " + m.keySet() + ")");
        }
        return value;
    }
}
