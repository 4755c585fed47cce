package dev.nightjar.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.RecordLoaders;
import dev.nightjar.data.Splits;
import dev.nightjar.data.image.ImageBatch;
import dev.nightjar.data.shard.RecordList;
import dev.nightjar.data.shard.ShardVerifier;
import dev.nightjar.eval.Measurement;
import dev.nightjar.eval.Reconstructions;
import dev.nightjar.eval.ValidationRunner;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Network;
import dev.nightjar.model.Provenance;
import dev.nightjar.model.family.DatasetInfo;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.InputEncoding;
import dev.nightjar.model.family.MetricsKind;
import dev.nightjar.model.family.ModelFamily;
import dev.nightjar.model.family.SetupContext;
import dev.nightjar.model.family.TrainingSetup;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.report.Html;
import dev.nightjar.spark.Versions;
import dev.nightjar.storage.Bundles;
import dev.nightjar.storage.Checkpoints;
import dev.nightjar.storage.RunLock;
import dev.nightjar.train.AugmentationSamples;
import dev.nightjar.train.BestEpoch;
import dev.nightjar.train.DistributedTrainer;
import dev.nightjar.train.MetricsLog;
import dev.nightjar.train.ParameterAveragingTrainer;
import dev.nightjar.train.PlanFingerprint;
import dev.nightjar.train.RunListener;
import dev.nightjar.train.SegmentMetrics;
import dev.nightjar.train.SegmentPlan;
import dev.nightjar.train.TrainConfig;
import dev.nightjar.train.TrainingProgress;
import dev.nightjar.train.TrainingReport;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * {@code nightjar train}: trains the model family {@code model.family} picks for the dataset's kind
 * with parameter averaging, resuming from the run directory's checkpoints, and writes the run
 * directory: metrics.jsonl, checkpoints/, model/ (bundle), report.html. Its parts: {@link #plan}
 * (dataset, family, verified records), the trainer with a {@link RunListener}, then the bundle
 * with its provenance and the report.
 */
public final class TrainJob {
    public static final String MODEL_DIR = "model";
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    /**
     * @param config      resolved config (defaults &lt; job file &lt; --set)
     * @param data        dataset directory
     * @param runDir      run directory (a local path, file:// or hdfs://)
     * @param overwrite   replace an existing model in the run directory
     * @param initFrom    a bundle or registry reference to start from (a text classifier takes a language model's encoder, a language
     *                    model continues it, an image classifier or autoencoder takes an image model's trunk); null = from scratch
     * @param fresh       start over even when the run directory has checkpoints (they are discarded)
     * @param force       allow {@code fresh} to discard checkpoints
     * @param skipCorrupt train without the shards that fail verification (counted in provenance and the report) instead of failing
     * @param resumeNewPlan resume from a checkpoint made under another segment plan (config, dataset or skipped shards changed):
     *                      its weights start the checkpoint's epoch again under the new plan; without it such a resume refuses
     */
    public record Options(Config config, String data, String runDir, boolean overwrite, String initFrom, boolean fresh, boolean force,
                          boolean skipCorrupt, boolean resumeNewPlan) {
        public Options(Config config, String data, String runDir, boolean overwrite) {
            this(config, data, runDir, overwrite, null);
        }

        public Options(Config config, String data, String runDir, boolean overwrite, String initFrom) {
            this(config, data, runDir, overwrite, initFrom, false, false);
        }

        public Options(Config config, String data, String runDir, boolean overwrite, String initFrom, boolean fresh, boolean force) {
            this(config, data, runDir, overwrite, initFrom, fresh, force, false);
        }

        public Options(Config config, String data, String runDir, boolean overwrite, String initFrom, boolean fresh, boolean force,
                       boolean skipCorrupt) {
            this(config, data, runDir, overwrite, initFrom, fresh, force, skipCorrupt, false);
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

    /**
     * Trains while holding the run directory's lock; a second job on the same directory refuses. When the
     * lock is lost (taken over, removed, or its heartbeat failing), the Spark jobs are cancelled and no more
     * outputs are written: the job fails with the lock's error.
     */
    public static Result run(Options o, JavaSparkContext sc) {
        TrainConfig cfg = TrainConfig.from(o.config());
        try (RunLock lock = RunLock.acquire(HadoopFiles.qualify(o.runDir(), sc.hadoopConfiguration()), sc.hadoopConfiguration(),
                java.time.Duration.ofSeconds(cfg.lockStaleSeconds()))) {
            lock.onLost(sc::cancelAllJobs);
            try {
                return train(o, cfg, lock, sc);
            } catch (Exception e) { // Spark's cancellation can surface as its checked SparkException, thrown from Scala undeclared
                UserException lost = lock.lostError(); // the Spark jobs were cancelled because the lock was lost
                if (lost != null && !(e instanceof UserException)) {
                    lost.addSuppressed(e);
                    throw lost;
                }
                throw e;
            }
        }
    }

    /**
     * The newest valid checkpoint to resume from, or null to start: none there, or {@code --fresh}
     * (which discards them only with {@code --force}).
     */
    private static Checkpoints.Checkpoint resume(Options o, Checkpoints checkpoints) {
        if (o.fresh()) {
            if (!checkpoints.list().isEmpty()) {
                if (!o.force()) {
                    throw new UserException("run directory " + o.runDir() + " has checkpoints; --fresh would discard them (add --force)");
                }
                checkpoints.deleteAll();
            }
            return null;
        }
        return checkpoints.latestValid();
    }

    /**
     * Where a resume from {@code c} starts: at its cursor when it was made under this plan; under
     * another plan it refuses, naming each change, unless {@code --resume-new-plan} asks to start
     * the checkpoint's epoch again from its weights under the new plan.
     *
     * @param changes filled with what changed ("part old -> new"), empty when the plan is the same
     */
    static DistributedTrainer.Start resumeAt(Checkpoints.Checkpoint c, PlanFingerprint plan, boolean resumeNewPlan, List<String> changes) {
        Checkpoints.Cursor cursor = c.cursor();
        if (cursor.plan() != null) {
            changes.addAll(plan.changesSince(cursor.plan()));
        } else {
            LOG.warn("checkpoint {} predates recorded segment plans: only its seed is checked", c.dir());
            if (cursor.seed() != plan.seed()) {
                changes.add("seed " + cursor.seed() + " -> " + plan.seed());
            }
        }
        if (changes.isEmpty()) {
            return new DistributedTrainer.Start(cursor.epoch(), cursor.segment(), cursor.examplesSeen());
        }
        String what = String.join("; ", changes);
        if (!resumeNewPlan) {
            throw new UserException("checkpoint " + c.dir() + " is a position in another segment plan (" + what + "): resuming would train "
                    + "some records twice and skip others. Resume with the config and dataset it was made with, start over with "
                    + "--fresh --force, or continue from its weights under the new plan with --resume-new-plan");
        }
        LOG.warn("--resume-new-plan: the segment plan changed ({}); epoch {} starts again from checkpoint {}'s weights under the new plan",
                what, cursor.epoch() + 1, c.dir());
        return new DistributedTrainer.Start(cursor.epoch(), 0, cursor.examplesSeen());
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

    private static List<String> withoutShards(RecordList records, List<ShardVerifier.Bad> bad) {
        return bad.isEmpty() ? records : records.withoutShards(bad.stream().map(ShardVerifier.Bad::path).toList());
    }

    /**
     * What a run trains on and with: the dataset, its verified records, the family and its setup.
     *
     * @param records the train records (corrupt shards left out when allowed, at most train.max-records)
     * @param bad     shards that failed verification and are skipped
     */
    record Plan(String data, Manifest manifest, DatasetInfo info, ModelFamily family, TrainingSetup setup, List<String> records,
                List<ShardVerifier.Bad> bad) {
        /** The segment plan's fingerprint under {@code cfg}, recorded in every checkpoint. */
        PlanFingerprint fingerprint(TrainConfig cfg) {
            return PlanFingerprint.of(cfg, Manifest.contentHash(manifest.shards()), bad.stream().map(ShardVerifier.Bad::path).toList(), records);
        }
    }

    /** Reads the dataset, picks the family, verifies the shards and cuts the record list; fails before any training. */
    static Plan plan(Options o, TrainConfig cfg, JavaSparkContext sc) {
        Configuration hconf = sc.hadoopConfiguration();
        String data = HadoopFiles.qualify(o.data(), hconf);
        Manifest manifest = Manifest.read(data, hconf);
        DatasetInfo info = manifest.info(data, hconf);
        ModelFamily family = Families.forTraining(o.config(), info.kind());
        String initRef = o.initFrom() == null ? null : Bundles.resolve(o.initFrom(), hconf);
        ModelBundle initFrom = initRef == null ? null : Bundles.load(initRef, hconf);
        TrainingSetup setup = family.setup(new SetupContext(o.config(), info, cfg.epochs(), initFrom, initRef));
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
        if (cfg.maxRecords() > 0 && records.size() > cfg.maxRecords()) {
            records = SegmentPlan.segments(records, cfg.seed(), -1, cfg.maxRecords()).get(0);
        }
        return new Plan(data, manifest, info, family, setup, records, bad);
    }

    /** Validation during training: the validation split measured as the family measures its models. */
    private static ValidationRunner<Measurement> validation(Plan p, InputEncoding input, TrainConfig cfg, JavaSparkContext sc) {
        List<String> records = withoutShards(p.manifest().recordPaths(p.data(), Splits.VALIDATION), p.bad());
        DataSetLoader loader = RecordLoaders.evaluation(input, p.info(), cfg.effectiveThreads());
        return new ValidationRunner<>(records, net -> Measurement.of(sc, p.family().metrics(), net, records, loader, p.info(),
                p.family().name(), Splits.VALIDATION, cfg.workers()), Measurement::summary);
    }

    private static Result train(Options o, TrainConfig cfg, RunLock lock, JavaSparkContext sc) {
        Configuration hconf = sc.hadoopConfiguration();
        Plan p = plan(o, cfg, sc);
        String runDir = HadoopFiles.qualify(o.runDir(), hconf);
        String modelDir = runDir + "/" + MODEL_DIR;
        Bundles.recover(modelDir, hconf);
        if (HadoopFiles.exists(modelDir, hconf) && !o.overwrite()) {
            throw new UserException("run directory already has a model: " + modelDir + " (use --overwrite to replace it)");
        }
        NativeTuning.apply(cfg.effectiveThreads());

        Network net = p.setup().create();
        Checkpoints checkpoints = new Checkpoints(runDir, hconf, cfg.checkpointKeep());
        DistributedTrainer.Start start = DistributedTrainer.Start.BEGIN;
        PlanFingerprint fingerprint = p.fingerprint(cfg);
        Checkpoints.Checkpoint resumed = resume(o, checkpoints);
        List<String> planChanges = new java.util.ArrayList<>();
        if (resumed != null) {
            start = resumeAt(resumed, fingerprint, o.resumeNewPlan(), planChanges);
            net = resumed.network();
            LOG.info("resuming from checkpoint {}: epoch {}, segment {}, {} examples seen", resumed.dir(), start.epoch() + 1,
                    start.segment() + 1, start.examplesSeen());
        }
        LOG.info("training a {} ({}) on {} train records of {} examples: {} epochs, {} workers, averaging every {} minibatches",
                p.family().name(), net, p.records().size(), p.manifest().batchSize(), cfg.epochs(), cfg.workers(), cfg.averagingFrequency());
        long t0 = System.nanoTime();
        Network trained;
        List<SegmentMetrics> segments;
        long total = (long) p.records().size() * p.manifest().batchSize() * cfg.epochs();
        InputEncoding input = p.family().input(net);
        ValidationRunner<Measurement> validation = validation(p, input, cfg, sc);
        BestEpoch best = new BestEpoch(p.family().metrics().higherIsBetter());
        if (resumed != null && cfg.keepBest()) {
            restoreBest(checkpoints, best, start.epoch());
        }
        try (MetricsLog log = new MetricsLog(runDir, hconf, resumed != null);
             TrainingProgress progress = new TrainingProgress(total, cfg.logIntervalSeconds())) {
            if (resumed != null) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("resumed_from", resumed.dir());
                line.put("epoch", start.epoch());
                line.put("segment", start.segment());
                line.put("examples_seen", start.examplesSeen());
                line.put("time", Instant.now().toString());
                if (!planChanges.isEmpty()) {
                    line.put("new_plan", planChanges);
                }
                log.line(line);
            }
            IntFunction<DataSetLoader> loaders = epoch -> RecordLoaders.training(input, p.info(), cfg.augmentation(), cfg.seed(),
                    epoch, cfg.effectiveThreads());
            trained = new ParameterAveragingTrainer(sc, cfg).train(net, p.records(), p.manifest().batchSize(), loaders,
                    new RunListener(cfg, p.family().metrics(), p.setup(), checkpoints, validation, best, log, progress, fingerprint, lock::check), start);
            segments = log.all();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long seen = segments.isEmpty() ? start.examplesSeen() : segments.get(segments.size() - 1).examplesSeen();
        Map<String, Double> val = validation.latestSummary();
        if (best.epoch() >= 0) {
            LOG.info("keeping the weights of epoch {} (best validation {}){}", best.epoch() + 1, best.metrics(),
                    best.epoch() == cfg.epochs() - 1 ? ", the last one" : ", not the last epoch's");
            trained.setParams(best.params());
            val = best.metrics();
        }
        Outcome outcome = new Outcome(seen, seconds, val, best.epoch());
        ModelBundle bundle = new ModelBundle(p.setup().forBundle(trained), p.info().labels(), p.info().tokenizer(),
                provenance(o, p, cfg, outcome, sc).toMap());
        lock.check();
        Bundles.save(bundle, modelDir, hconf);
        lock.check();
        HadoopFiles.writeString(runDir + "/" + TrainingReport.FILE, report(o, p, cfg, outcome, segments, runDir, figures(p, bundle.network(), cfg),
                sc), hconf);
        return new Result(bundle, segments, val, seconds / 60, seen / seconds, seen * p.setup().unitsPerExample() / seconds);
    }

    /**
     * How the run ended.
     *
     * @param keptEpoch the epoch whose weights were kept (keep-best), or -1
     */
    private record Outcome(long seen, double seconds, Map<String, Double> validation, int keptEpoch) {
    }

    private static Provenance provenance(Options o, Plan p, TrainConfig cfg, Outcome r, JavaSparkContext sc) {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = Json.read(o.config().root().render(ConfigRenderOptions.concise()), Map.class);
        List<Map<String, String>> skipped = p.bad().isEmpty() ? null
                : p.bad().stream().map(b -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("path", b.path());
                    m.put("reason", b.reason());
                    return m;
                }).toList();
        return new Provenance(Provenance.FORMAT_VERSION, p.family().name(), Instant.now().toString(), p.setup().provenance(),
                new Provenance.Dataset(p.data(), p.manifest().contentHash(), p.manifest().examples(Splits.TRAIN)), config,
                Versions.all(sc.version()), new Provenance.Training(cfg.epochs(), r.seen(), r.seconds(), r.seen() / r.seconds(), sc.master(),
                cfg.workers(), r.keptEpoch() >= 0 ? r.keptEpoch() + 1 : null, skipped), r.validation());
    }

    /** What the family's measure adds to the report: an autoencoder's sample reconstructions (validation split, else train). */
    private static String figures(Plan p, Network net, TrainConfig cfg) {
        if (p.family().metrics() != MetricsKind.RECONSTRUCTION) {
            return "";
        }
        List<String> records = withoutShards(p.manifest().recordPaths(p.data(), Splits.VALIDATION), p.bad());
        String split = records.isEmpty() ? Splits.TRAIN : Splits.VALIDATION;
        DataSetLoader loader = RecordLoaders.evaluation(p.family().input(net), p.info(), cfg.effectiveThreads());
        return Reconstructions.html(Reconstructions.sample(net, loader, records.isEmpty() ? p.records() : records, Reconstructions.SAMPLES),
                split);
    }

    private static String report(Options o, Plan p, TrainConfig cfg, Outcome r, List<SegmentMetrics> segments, String runDir,
                                 String figures, JavaSparkContext sc) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("dataset", p.data());
        summary.put("model family", p.family().name());
        summary.putAll(p.setup().provenance());
        summary.put("train examples", p.manifest().examples(Splits.TRAIN));
        summary.put("content hash", p.manifest().contentHash());
        summary.put("examples seen", r.seen());
        summary.put("minutes", String.format("%.2f", r.seconds() / 60));
        summary.put("examples/s", String.format("%.0f", r.seen() / r.seconds()));
        if (p.setup().unitsPerExample() > 1) {
            summary.put("tokens/s", String.format("%.0f", r.seen() * p.setup().unitsPerExample() / r.seconds()));
        }
        summary.put("Spark master / workers", sc.master() + " / " + cfg.workers());
        if (!p.bad().isEmpty()) {
            summary.put("skipped corrupt shards", p.bad().size() + ": " + p.bad());
        }
        if (r.keptEpoch() >= 0) {
            summary.put("kept weights of epoch", r.keptEpoch() + 1);
        }
        if (r.validation() != null) {
            r.validation().forEach((k, v) -> summary.put("validation " + k.replace('_', ' '), String.format("%.4f", v)));
        }
        return TrainingReport.html("Nightjar training run " + new org.apache.hadoop.fs.Path(runDir).getName(), segments,
                p.family().metrics().lossUnit(), o.config().root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)),
                summary, figures + augmentationSample(p, cfg));
    }

    /** A grid of one train record's images as augmented in the first epochs, when an image model trains with augmentation. */
    private static String augmentationSample(Plan p, TrainConfig cfg) {
        if (!cfg.augmentation().enabled() || p.info().labels() == null || !p.manifest().kind().equals(ImageBatch.KIND)
                || p.records().isEmpty()) {
            return "";
        }
        String record = p.records().get(0);
        try {
            return AugmentationSamples.html(record, p.info().labels().size(), cfg.augmentation(), cfg.seed());
        } catch (IOException | RuntimeException e) {
            LOG.warn("no augmentation sample in the report: cannot read {}: {}", record, e.toString());
            return "<h2>Augmentation</h2>\n<p class=\"note\">No sample: cannot read " + Html.escape(record) + "</p>\n";
        }
    }
}
