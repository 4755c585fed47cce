package dev.nightjar.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.nightjar.config.Configs;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.image.ClassSelection;
import dev.nightjar.data.image.ImagePrep;
import dev.nightjar.data.image.ImagePrepConfig;
import dev.nightjar.eval.ImageComparison;
import dev.nightjar.eval.ModelComparison;
import dev.nightjar.eval.Significance;
import dev.nightjar.jobs.Candidates;
import dev.nightjar.jobs.TrainJob;
import dev.nightjar.model.ImageTransferConfig;
import dev.nightjar.model.Optimizer;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.DatasetKind;
import dev.nightjar.model.family.MetricsKind;
import dev.nightjar.model.family.ModelFamily;
import dev.nightjar.train.TrainConfig;
import dev.nightjar.util.Json;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nightjar demo transfer}, few labels and what pretraining buys: the train images of some classes
 * (Fashion-MNIST's first five) pretrain a convolutional autoencoder (labels unused) and train a supervised CNN;
 * a new task, the other classes with a few labelled train images each, gets four candidates of the same network:
 * fine-tuned from the supervised CNN's trunk, fine-tuned from the autoencoder's encoder, from scratch, and from
 * scratch with augmentation. All are measured on every test image of the new classes in one pass: accuracy with a
 * 95% Wilson interval and McNemar's exact test against {@code scratch} → {@code transfer/comparison.json} and
 * {@code transfer/report.html}. Prepared data is reused when prepared with the same options.
 */
public final class TransferDemo {
    public static final String DIR = "transfer";
    public static final String COMPARISON_FILE = "comparison.json";
    public static final String REPORT_FILE = "report.html";
    public static final String FROM_SUPERVISED = "from-supervised";
    public static final String FROM_AUTOENCODER = "from-autoencoder";
    public static final String SCRATCH = "scratch";
    public static final String SCRATCH_AUGMENTED = "scratch-augmented";
    private static final Logger LOG = LoggerFactory.getLogger(TransferDemo.class);

    /**
     * @param workdir     demo directory; everything goes under workdir/transfer
     * @param trainImages the IDX train images (labels beside them)
     * @param testImages  the IDX test images
     * @param config      resolved config (transfer.conf over the defaults): the network, its pretraining and the prep keys
     */
    public record Options(Path workdir, String trainImages, String testImages, Config config) {
    }

    /**
     * @param comparison what comparison.json holds
     * @param test       the first seed's candidates on the test images, {@code scratch} the reference
     * @param means      per candidate, its mean test accuracy over the seeds
     */
    public record Result(Map<String, Object> comparison, Map<String, ModelComparison.Result> test, Map<String, Double> means,
                         Path dir, double minutes) {
    }

    /** One candidate of the new task: how it starts and whether it augments. */
    record Plan(String name, String initFrom, boolean augment, String description) {
    }

    private TransferDemo() {
    }

    public static Result run(Options o, JavaSparkContext sc) {
        long t0 = System.nanoTime();
        TransferDemoConfig s = TransferDemoConfig.from(o.config());
        ImagePrepConfig prep = ImagePrepConfig.from(o.config());
        Path dir = o.workdir().resolve(DIR);
        String pretrain = dir.resolve("data/pretrain").toString();
        String few = dir.resolve("data/few").toString();
        String test = dir.resolve("data/test").toString();
        prepareOnce(sc, dir, prep.options(o.trainImages(), pretrain, false, null, true)
                .withSelection(new ClassSelection(s.pretrainClasses(), 0)));
        ImagePrep.Options f = prep.options(o.trainImages(), few, false, null, true);
        prepareOnce(sc, dir, new ImagePrep.Options(f.input(), f.output(), false, 0, f.seed(), f.folderShape(), s.batchSize(),
                f.shardExamples(), null, true, new ClassSelection(s.targetClasses(), s.perClass())));
        prepareOnce(sc, dir, prep.options(o.testImages(), test, true, null, true).withSelection(new ClassSelection(s.targetClasses(), 0)));

        Map<String, Object> pretraining = new LinkedHashMap<>();
        Path autoencoder = dir.resolve("autoencoder");
        TrainJob.Result ae = TrainJob.run(new TrainJob.Options(pretrainConfig(o.config(), s, s.autoencoderEpochs(),
                imageAutoencoder()), pretrain, autoencoder.toString(), true, null, true, true), sc);
        pretraining.put("autoencoder", pretrained(ae, s.autoencoderEpochs()));
        Path supervised = dir.resolve("supervised");
        TrainJob.Result sup = TrainJob.run(new TrainJob.Options(pretrainConfig(o.config(), s, s.supervisedEpochs(), Families.AUTO),
                pretrain, supervised.toString(), true, null, true, true), sc);
        pretraining.put("supervised", pretrained(sup, s.supervisedEpochs()));

        String finetune = ImageTransferConfig.FINETUNE.get(o.config());
        List<Plan> plans = List.of(
                new Plan(FROM_SUPERVISED, supervised.resolve(TrainJob.MODEL_DIR).toString(), false,
                        "the supervised CNN's trunk and dense layer, a new head; fine-tune " + finetune),
                new Plan(FROM_AUTOENCODER, autoencoder.resolve(TrainJob.MODEL_DIR).toString(), false,
                        "the autoencoder's encoder as the trunk, new dense layer and head; fine-tune " + finetune),
                new Plan(SCRATCH, null, false, "the same network, fresh weights"),
                new Plan(SCRATCH_AUGMENTED, null, true, "the same network, fresh weights, train.augment.* on"));
        List<Map<String, ModelComparison.Result>> bySeed = new ArrayList<>();
        Map<String, Object> training = new LinkedHashMap<>();
        long seed = Configs.SEED.get(o.config());
        for (int k = 0; k < s.seeds(); k++) {
            Path runs = s.seeds() == 1 ? dir : dir.resolve("seed-" + (seed + k));
            List<ModelComparison.Candidate> candidates = new ArrayList<>();
            for (Plan p : plans) {
                Candidates.Trained t = Candidates.network(sc, p.name(), candidateConfig(o.config(), s, seed + k, p.augment()), few,
                        runs.resolve(p.name()), p.initFrom(), true);
                candidates.add(t.candidate());
                if (k == 0) {
                    training.put(p.name(), t);
                }
            }
            bySeed.add(ImageComparison.run(sc, test, Splits.TEST, candidates, SCRATCH, 0));
            LOG.info("seed {}: {}", seed + k, accuracies(bySeed.get(k)));
        }

        Map<String, Double> means = new LinkedHashMap<>();
        Map<String, Object> seeds = new LinkedHashMap<>();
        for (Plan p : plans) {
            double[] acc = bySeed.stream().mapToDouble(r -> r.get(p.name()).accuracy()).toArray();
            Significance.MeanSd m = Significance.meanSd(acc);
            means.put(p.name(), m.mean());
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("accuracies", acc);
            e.put("mean", m.mean());
            e.put("sd", Double.isNaN(m.sd()) ? null : m.sd());
            seeds.put(p.name(), e);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("task", task(s, sc, pretrain, few, test));
        c.put("reference", SCRATCH);
        c.put("candidates", describe(plans));
        c.put("finetune", finetune);
        c.put("test", bySeed.get(0));
        Map<String, Object> runs = new LinkedHashMap<>();
        runs.put("seeds", s.seeds());
        runs.put("first", seed);
        runs.put("per_candidate", seeds);
        c.put("seeds", runs);
        c.put("vs_scratch_points", vsScratch(means));
        c.put("pretraining", pretraining);
        c.put("training", training);
        c.put("notes", List.of(
                "test: the first seed's candidates on every test image of the new classes; low/high: 95% Wilson interval of the "
                        + "accuracy; vs_reference: the paired difference with scratch on the same images and McNemar's exact "
                        + "two-sided p (p >= 0.05: no difference shown at this test set's size).",
                "seeds: each candidate trained with seeds first, first+1, ... on the same labelled images; vs_scratch_points: the "
                        + "difference of mean test accuracies with scratch, in percentage points."));
        double minutes = (System.nanoTime() - t0) / 60e9;
        c.put("minutes", minutes);
        Json.writeFile(dir.resolve(COMPARISON_FILE), c);
        try {
            Files.writeString(dir.resolve(REPORT_FILE), TransferReport.html(c, bySeed.get(0), means, plans));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(REPORT_FILE), e);
        }
        return new Result(c, bySeed.get(0), means, dir, minutes);
    }

    /** A pretraining run: the config's network and optimizer, the demo's epochs and records, no augmentation. */
    /** The registered family that learns from images without labels (the one measured by reconstruction). */
    static String imageAutoencoder() {
        return Families.all().stream().filter(f -> f.dataset() == DatasetKind.IMAGE && f.metrics() == MetricsKind.RECONSTRUCTION)
                .map(ModelFamily::name).findFirst().orElseThrow(() -> new IllegalStateException("no image family learns by reconstruction"));
    }

    static Config pretrainConfig(Config base, TransferDemoConfig s, int epochs, String family) {
        return ConfigFactory.parseMap(Map.of(TrainConfig.EPOCHS.key(), epochs, TrainConfig.MAX_RECORDS.key(), s.pretrainRecords(),
                TrainConfig.AUGMENT.key(), false, Families.FAMILY.key(), family)).withFallback(base).resolve();
    }

    /** A candidate on the new task: the demo's epochs, learning rate and seed; augmentation on or as the config says. */
    static Config candidateConfig(Config base, TransferDemoConfig s, long seed, boolean augment) {
        Map<String, Object> set = new LinkedHashMap<>(Map.of(TrainConfig.EPOCHS.key(), s.epochs(), TrainConfig.MAX_RECORDS.key(), 0,
                Optimizer.LEARNING_RATE.key(), s.learningRate(), Configs.SEED.key(), seed, Families.FAMILY.key(), Families.AUTO));
        if (augment) {
            set.put(TrainConfig.AUGMENT.key(), true);
        }
        return ConfigFactory.parseMap(set).withFallback(base).resolve();
    }

    private static Map<String, Object> pretrained(TrainJob.Result r, int epochs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", r.bundle().provenance().get("kind"));
        m.put("epochs", epochs);
        m.put("examples_seen", r.segments().isEmpty() ? 0 : r.segments().get(r.segments().size() - 1).examplesSeen());
        m.put("validation", r.validation());
        m.put("minutes", r.minutes());
        m.put("examples_per_second", r.examplesPerSecond());
        return m;
    }

    private static Map<String, Object> task(TransferDemoConfig s, JavaSparkContext sc, String pretrain, String few, String test) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("pretrain_classes", labels(sc, pretrain));
        t.put("pretrain_images", examples(sc, pretrain, Splits.TRAIN));
        t.put("target_classes", labels(sc, few));
        t.put("per_class", s.perClass());
        t.put("labelled_images", examples(sc, few, Splits.TRAIN));
        t.put("test_images", examples(sc, test, Splits.TEST));
        t.put("epochs", s.epochs());
        t.put("learning_rate", s.learningRate());
        t.put("batch_size", s.batchSize());
        return t;
    }

    private static List<String> labels(JavaSparkContext sc, String data) {
        String d = HadoopFiles.qualify(data, sc.hadoopConfiguration());
        return Manifest.read(d, sc.hadoopConfiguration()).info(d, sc.hadoopConfiguration()).requireLabels().labels();
    }

    private static long examples(JavaSparkContext sc, String data, String split) {
        Manifest.SplitCounts c = Manifest.read(HadoopFiles.qualify(data, sc.hadoopConfiguration()), sc.hadoopConfiguration()).splits().get(split);
        return c == null ? 0 : c.examples();
    }

    private static Map<String, String> describe(List<Plan> plans) {
        Map<String, String> d = new LinkedHashMap<>();
        plans.forEach(p -> d.put(p.name(), p.description()));
        return d;
    }

    private static Map<String, Double> vsScratch(Map<String, Double> means) {
        Map<String, Double> d = new LinkedHashMap<>();
        means.forEach((name, mean) -> {
            if (!name.equals(SCRATCH)) {
                d.put(name, 100 * (mean - means.get(SCRATCH)));
            }
        });
        return d;
    }

    private static Map<String, Double> accuracies(Map<String, ModelComparison.Result> r) {
        Map<String, Double> a = new LinkedHashMap<>();
        r.forEach((k, v) -> a.put(k, v.accuracy()));
        return a;
    }

    /** Prepares a dataset unless it is there, prepared with the same options (recorded beside it). */
    private static void prepareOnce(JavaSparkContext sc, Path dir, ImagePrep.Options p) {
        Path recorded = Path.of(p.output() + ".options.json");
        String options = Json.write(p);
        try {
            if (HadoopFiles.exists(p.output() + "/" + Manifest.FILE, sc.hadoopConfiguration()) && Files.isRegularFile(recorded)
                    && Files.readString(recorded).equals(options)) {
                LOG.info("reusing prepared data in {}", p.output());
                return;
            }
            Files.deleteIfExists(recorded);
            new ImagePrep(sc).run(p);
            Files.createDirectories(recorded.getParent());
            Files.writeString(recorded, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the options of " + p.output() + " in " + dir, e);
        }
    }
}
