package dev.nightjar.jobs;

import dev.nightjar.spark.Versions;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.shard.RecordRef;
import dev.nightjar.data.shard.ShardVerifier;
import dev.nightjar.data.text.LabelledBatch;
import dev.nightjar.data.text.TokenBatch;
import dev.nightjar.eval.ValidationRunner;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.storage.Bundles;
import dev.nightjar.train.MetricsLog;
import dev.nightjar.train.BestEpoch;
import dev.nightjar.storage.Checkpoints;
import dev.nightjar.train.DistributedTrainer;
import dev.nightjar.train.ParameterAveragingTrainer;
import dev.nightjar.storage.RunLock;
import dev.nightjar.train.SegmentMetrics;
import dev.nightjar.train.SegmentPlan;
import dev.nightjar.train.TrainConfig;
import dev.nightjar.train.TrainingListener;
import dev.nightjar.train.TrainingProgress;
import dev.nightjar.train.TrainingReport;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nightjar train}: trains the model the dataset calls for (an image classifier on an image
 * dataset, a language model on an lm dataset) with parameter averaging, and writes the run
 * directory: metrics.jsonl, model/ (bundle), report.html.
 */
public final class TrainJob {
    public static final String MODEL_DIR = "model";
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    /**
     * @param config      resolved config (defaults &lt; job file &lt; --set)
     * @param data        dataset directory
     * @param runDir      run directory (a local path, file:// or hdfs://)
     * @param overwrite   replace an existing model in the run directory
     * @param initFrom    a language-model bundle or registry reference to start from (a text classifier takes its encoder, a language model continues it); null = from scratch
     * @param fresh       start over even when the run directory has checkpoints (they are discarded)
     * @param force       allow {@code fresh} to discard checkpoints
     * @param skipCorrupt train without the shards that fail verification (counted in provenance and the report) instead of failing
     */
    public record Options(Config config, String data, String runDir, boolean overwrite, String initFrom, boolean fresh, boolean force,
                          boolean skipCorrupt) {
        public Options(Config config, String data, String runDir, boolean overwrite) {
            this(config, data, runDir, overwrite, null);
        }

        public Options(Config config, String data, String runDir, boolean overwrite, String initFrom) {
            this(config, data, runDir, overwrite, initFrom, false, false);
        }

        public Options(Config config, String data, String runDir, boolean overwrite, String initFrom, boolean fresh, boolean force) {
            this(config, data, runDir, overwrite, initFrom, fresh, force, false);
        }
    }

    /**
     * @param validation     the last validation metrics, main one first (null when there is no validation split)
     * @param unitsPerSecond examples/s, or tokens/s for a language model
     */
    public record Result(ModelBundle bundle, List<SegmentMetrics> segments, Map<String, Double> validation,
                         double minutes, double examplesPerSecond, double unitsPerSecond) {
    }

    private TrainJob() {
    }

    /** The task a dataset calls for; fails with the dataset's kind when none fits. */
    static TrainingTask task(JavaSparkContext sc, Config c, Manifest m, String data, String initFrom) {
        Configuration hconf = sc.hadoopConfiguration();
        if (initFrom != null && m.kind().equals("image")) {
            throw new UserException("--init-from applies to language models and text classifiers, not to an image dataset");
        }
        return switch (m.kind()) {
            case "image" -> new ImageClassifierTask(sc, c, m, Manifest.labels(data, hconf));
            case TokenBatch.KIND -> new LanguageModelTask(sc, c, m, Manifest.tokenizer(data, hconf), initFrom);
            case LabelledBatch.KIND -> new TextClassifierTask(sc, c, m, Manifest.labels(data, hconf), Manifest.tokenizer(data, hconf), initFrom);
            default -> throw new UserException("train: dataset kind '" + m.kind() + "' is not supported: " + data);
        };
    }

    /** Trains while holding the run directory's lock; a second job on the same directory refuses. */
    public static Result run(Options o, JavaSparkContext sc) {
        TrainConfig cfg = TrainConfig.from(o.config());
        try (RunLock lock = RunLock.acquire(HadoopFiles.qualify(o.runDir(), sc.hadoopConfiguration()), sc.hadoopConfiguration(),
                java.time.Duration.ofSeconds(cfg.lockStaleSeconds()))) {
            return train(o, sc);
        }
    }

    /**
     * The newest valid checkpoint to resume from, or null to start: none there, or {@code --fresh}
     * (which discards them only with {@code --force}).
     */
    private static Checkpoints.Checkpoint resume(Options o, Checkpoints checkpoints, TrainConfig cfg) {
        if (o.fresh()) {
            if (!checkpoints.list().isEmpty()) {
                if (!o.force()) {
                    throw new UserException("run directory " + o.runDir() + " has checkpoints; --fresh would discard them (add --force)");
                }
                checkpoints.deleteAll();
            }
            return null;
        }
        Checkpoints.Checkpoint c = checkpoints.latestValid();
        if (c != null && c.cursor().seed() != cfg.seed()) {
            throw new UserException("checkpoint " + c.dir() + " was made with seed " + c.cursor().seed() + ", this run has " + cfg.seed()
                    + "; resume with the same config, or start over with --fresh --force");
        }
        return c;
    }

    /**
     * {@code train.keep-best} across a resume: the best epoch validated before the checkpoint
     * resumed from (a best of a later epoch is ignored: that epoch is trained again).
     */
    private static void restoreBest(Checkpoints checkpoints, BestEpoch best, int resumeEpoch) {
        Checkpoints.Best b = checkpoints.readBest();
        if (b != null && b.info().epoch() < resumeEpoch) {
            best.offer(b.info().epoch(), b.info().validation(), b.network());
            LOG.info("keep-best: the best epoch so far is {} (validation {}), from before the resume", b.info().epoch() + 1, b.info().validation());
        }
    }

    private static List<String> withoutShards(List<String> records, List<ShardVerifier.Bad> bad) {
        if (bad.isEmpty()) {
            return records;
        }
        java.util.Set<String> skip = bad.stream().map(ShardVerifier.Bad::path).collect(java.util.stream.Collectors.toSet());
        return records.stream().filter(r -> !skip.contains(RecordRef.parse(r).shard())).toList();
    }

    private static Result train(Options o, JavaSparkContext sc) {
        Configuration hconf = sc.hadoopConfiguration();
        TrainConfig trainCfg = TrainConfig.from(o.config());
        String data = HadoopFiles.qualify(o.data(), hconf);
        Manifest manifest = Manifest.read(data, hconf);
        String runDir = HadoopFiles.qualify(o.runDir(), hconf);
        String initFrom = o.initFrom() == null ? null : Bundles.resolve(o.initFrom(), hconf);
        TrainingTask task = task(sc, o.config(), manifest, data, initFrom);
        List<ShardVerifier.Bad> bad = ShardVerifier.verify(sc, data, manifest, List.of(Splits.TRAIN, Splits.VALIDATION));
        if (!bad.isEmpty() && !o.skipCorrupt()) {
            throw new UserException(bad.size() + " of the dataset's shards failed verification (--skip-corrupt trains without them):\n  "
                    + String.join("\n  ", bad.stream().map(ShardVerifier.Bad::toString).toList()));
        }
        bad.forEach(b -> LOG.warn("skipping shard {}", b));
        List<String> records = withoutShards(manifest.recordPaths(data, Splits.TRAIN), bad);
        if (records.isEmpty()) {
            throw new UserException("dataset has no train split: " + o.data() + " (prepared with --split test?)");
        }
        if (trainCfg.maxRecords() > 0 && records.size() > trainCfg.maxRecords()) {
            records = SegmentPlan.segments(records, trainCfg.seed(), -1, trainCfg.maxRecords()).get(0);
        }
        String modelDir = runDir + "/" + MODEL_DIR;
        HadoopFiles.recoverDir(modelDir, hconf);
        if (HadoopFiles.exists(modelDir, hconf) && !o.overwrite()) {
            throw new UserException("run directory already has a model: " + modelDir + " (use --overwrite to replace it)");
        }
        NativeTuning.apply(trainCfg.effectiveThreads());

        MultiLayerNetwork net = task.create();
        Checkpoints checkpoints = new Checkpoints(runDir, hconf, trainCfg.checkpointKeep());
        DistributedTrainer.Start start = DistributedTrainer.Start.BEGIN;
        Checkpoints.Checkpoint resumed = resume(o, checkpoints, trainCfg);
        if (resumed != null) {
            net = resumed.network();
            Checkpoints.Cursor c = resumed.cursor();
            start = new DistributedTrainer.Start(c.epoch(), c.segment(), c.examplesSeen());
            LOG.info("resuming from checkpoint {}: epoch {}, segment {}, {} examples seen", resumed.dir(), c.epoch() + 1, c.segment() + 1,
                    c.examplesSeen());
        }
        LOG.info("training a {} ({} parameters) on {} train records of {} examples: {} epochs, {} workers, averaging every {} minibatches",
                task.kind(), net.numParams(), records.size(), manifest.batchSize(), trainCfg.epochs(),
                trainCfg.workers(), trainCfg.averagingFrequency());
        long t0 = System.nanoTime();
        MultiLayerNetwork trained;
        List<SegmentMetrics> segments;
        long total = (long) records.size() * manifest.batchSize() * trainCfg.epochs();
        ValidationRunner<?> validation = task.validation(withoutShards(manifest.recordPaths(data, Splits.VALIDATION), bad));
        BestEpoch best = new BestEpoch(task.higherIsBetter());
        if (resumed != null && trainCfg.keepBest()) {
            restoreBest(checkpoints, best, start.epoch());
        }
        try (MetricsLog log = new MetricsLog(runDir, hconf, resumed != null);
             TrainingProgress progress = new TrainingProgress(total, trainCfg.logIntervalSeconds())) {
            if (resumed != null) {
                log.line(Map.of("resumed_from", resumed.dir(), "epoch", start.epoch(), "segment", start.segment(),
                        "examples_seen", start.examplesSeen(), "time", Instant.now().toString()));
            }
            trained = new ParameterAveragingTrainer(sc, trainCfg).train(net, records, manifest.batchSize(), task::loader,
                    new TrainingListener() {
                        @Override
                        public void checkpoint(int nextEpoch, int nextSegment, long examplesSeen, MultiLayerNetwork current) {
                            checkpoints.write(current, nextEpoch, nextSegment, examplesSeen, trainCfg.seed());
                        }

                        @Override
                        public MultiLayerNetwork beforeEpoch(int epoch, MultiLayerNetwork current) {
                            return task.beforeEpoch(epoch, current);
                        }

                        @Override
                        public void segment(SegmentMetrics raw) {
                            SegmentMetrics m = task.normalise(raw);
                            log.append(m);
                            progress.update(m);
                        }

                        @Override
                        public Map<String, Double> validate(int epoch, MultiLayerNetwork current) {
                            boolean last = epoch == trainCfg.epochs() - 1;
                            Map<String, Double> val = trainCfg.validateEveryEpoch() || last ? validation.run(epoch, current) : null;
                            if (trainCfg.keepBest() && best.offer(epoch, val, current) && trainCfg.checkpointEvery() > 0) {
                                checkpoints.writeBest(current, epoch, val);
                            }
                            return val;
                        }
                    }, start);
            segments = log.all();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long seen = segments.isEmpty() ? start.examplesSeen() : segments.get(segments.size() - 1).examplesSeen();
        Map<String, Double> val = validation.latestSummary();
        if (best.epoch() >= 0) {
            LOG.info("keeping the weights of epoch {} (best validation {}){}", best.epoch() + 1, best.metrics(),
                    best.epoch() == trainCfg.epochs() - 1 ? ", the last one" : ", not the last epoch's");
            trained.setParams(best.params());
            val = best.metrics();
        }

        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("created", Instant.now().toString());
        provenance.put("kind", task.kind());
        provenance.putAll(task.provenance());
        provenance.put("dataset", Map.of("dir", data, "content_hash", manifest.contentHash(), "train_examples",
                manifest.examples(Splits.TRAIN)));
        provenance.put("config", Json.read(o.config().root().render(ConfigRenderOptions.concise()), Map.class));
        provenance.put("versions", Versions.all(sc.version()));
        Map<String, Object> training = new LinkedHashMap<>(Map.of("epochs", trainCfg.epochs(), "examples_seen", seen, "seconds", seconds,
                "examples_per_second", seen / seconds, "master", sc.master(), "workers", trainCfg.workers()));
        if (best.epoch() >= 0) {
            training.put("kept_epoch", best.epoch() + 1);
        }
        if (!bad.isEmpty()) {
            training.put("skipped_shards", bad.stream().map(b -> Map.of("path", b.path(), "reason", b.reason())).toList());
        }
        provenance.put("training", training);
        if (val != null) {
            provenance.put("metrics", Map.of("validation", val));
        }
        ModelBundle bundle = task.bundle(trained, provenance);
        Bundles.save(bundle, modelDir, hconf);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("dataset", data);
        summary.putAll(task.provenance());
        summary.put("train examples", manifest.examples(Splits.TRAIN));
        summary.put("content hash", manifest.contentHash());
        summary.put("examples seen", seen);
        summary.put("minutes", String.format("%.2f", seconds / 60));
        summary.put("examples/s", String.format("%.0f", seen / seconds));
        if (task.unitsPerExample() > 1) {
            summary.put("tokens/s", String.format("%.0f", seen * task.unitsPerExample() / seconds));
        }
        summary.put("Spark master / workers", sc.master() + " / " + trainCfg.workers());
        if (!bad.isEmpty()) {
            summary.put("skipped corrupt shards", bad.size() + ": " + bad);
        }
        if (best.epoch() >= 0) {
            summary.put("kept weights of epoch", best.epoch() + 1);
        }
        if (val != null) {
            val.forEach((k, v) -> summary.put("validation " + k.replace('_', ' '), String.format("%.4f", v)));
        }
        HadoopFiles.writeString(runDir + "/" + TrainingReport.FILE,
                TrainingReport.html("Nightjar training run " + new org.apache.hadoop.fs.Path(runDir).getName(), segments, task.lossUnit(),
                        o.config().root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)), summary), hconf);
        return new Result(bundle, segments, val, seconds / 60, seen / seconds, seen * task.unitsPerExample() / seconds);
    }
}
