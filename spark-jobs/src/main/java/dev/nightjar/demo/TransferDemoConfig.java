package dev.nightjar.demo;

import com.typesafe.config.Config;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.Arrays;
import java.util.List;

/**
 * Typed, validated {@code demo.transfer.*} for {@link TransferDemo}: which classes pretrain and which are the new
 * task, how many labels the new task has, and how long each stage trains.
 *
 * @param pretrainClasses   the classes whose train images pretrain the autoencoder and train the supervised CNN
 * @param targetClasses     the new task's classes (disjoint from the pretraining classes)
 * @param perClass          labelled train images per class of the new task
 * @param batchSize         the new task's minibatch (examples per shard record)
 * @param autoencoderEpochs epochs of autoencoder pretraining
 * @param supervisedEpochs  epochs of supervised pretraining
 * @param pretrainRecords   at most this many minibatches per pretraining epoch (0 = all)
 * @param epochs            epochs of every candidate on the new task's labelled images
 * @param learningRate      the learning rate of every candidate on the new task
 * @param seeds             runs of every candidate, with seeds seed, seed+1, ...
 */
public record TransferDemoConfig(List<String> pretrainClasses, List<String> targetClasses, int perClass, int batchSize,
                                 int autoencoderEpochs, int supervisedEpochs, int pretrainRecords, int epochs, double learningRate,
                                 int seeds) implements java.io.Serializable {
    public static final Setting<String> PRETRAIN_CLASSES = classes("demo.transfer.pretrain-classes", "0,1,2,3,4",
            "The classes (names or indices, comma-separated, as prepare images --classes) whose train images pretrain the "
                    + "autoencoder (labels unused) and train the supervised CNN.");
    public static final Setting<String> TARGET_CLASSES = classes("demo.transfer.target-classes", "5,6,7,8,9",
            "The new task's classes, disjoint from the pretraining classes: every candidate trains on per-class labelled "
                    + "train images of each and is tested on all of their test images.");
    public static final Setting<Integer> PER_CLASS = Setting.intIn("demo.transfer.per-class", 100, 1, 1_000_000,
            "Labelled train images per class of the new task (prepare images --per-class, seeded; no validation split).");
    public static final Setting<Integer> BATCH_SIZE = Setting.intIn("demo.transfer.batch-size", 32, 1, 65_536,
            "The new task's minibatch (examples per shard record of its train set).");
    public static final Setting<Integer> AUTOENCODER_EPOCHS = Setting.intIn("demo.transfer.autoencoder-epochs", 1, 1, 1000,
            "Epochs of autoencoder pretraining on the pretraining classes' images.");
    public static final Setting<Integer> SUPERVISED_EPOCHS = Setting.intIn("demo.transfer.supervised-epochs", 1, 1, 1000,
            "Epochs of the supervised CNN on the pretraining classes.");
    public static final Setting<Integer> PRETRAIN_RECORDS = Setting.intIn("demo.transfer.pretrain-records", 0, 0, Integer.MAX_VALUE,
            "Both pretrainings train on at most this many minibatches per epoch (a seeded subset, train.max-records); 0 = all.");
    public static final Setting<Integer> EPOCHS = Setting.intIn("demo.transfer.epochs", 20, 1, 10_000,
            "Epochs of every candidate (fine-tuned or from scratch) on the new task's labelled images.");
    public static final Setting<Double> LEARNING_RATE = Setting.doubleIn("demo.transfer.learning-rate", 0.001, 1e-7, 10,
            "The learning rate of every candidate on the new task (model.learning-rate serves the pretrainings).");
    public static final Setting<Integer> SEEDS = Setting.intIn("demo.transfer.seeds", 1, 1, 100,
            "Runs of every candidate on the new task, with seeds seed, seed+1, ... (weights of new layers, shard order, "
                    + "augmentation); the labelled images stay the same. comparison.json gives each run and the mean.");

    public static final Section SECTION = new Section("demo.transfer", "the transfer demo",
            "nightjar demo transfer: Fashion-MNIST's first five classes pretrain an autoencoder and a supervised CNN; both "
                    + "are fine-tuned on a few labelled images of the other five, beside the same network from scratch with "
                    + "and without augmentation.",
            TransferDemoConfig.class, PRETRAIN_CLASSES, TARGET_CLASSES, PER_CLASS, BATCH_SIZE, AUTOENCODER_EPOCHS, SUPERVISED_EPOCHS,
            PRETRAIN_RECORDS, EPOCHS, LEARNING_RATE, SEEDS);

    public TransferDemoConfig {
        pretrainClasses = List.copyOf(pretrainClasses);
        targetClasses = List.copyOf(targetClasses);
        List<String> both = pretrainClasses.stream().filter(targetClasses::contains).toList();
        if (!both.isEmpty()) {
            throw new dev.nightjar.UserException("config keys '" + PRETRAIN_CLASSES.key() + "' and '" + TARGET_CLASSES.key()
                    + "' must be disjoint, both have " + both);
        }
    }

    public static TransferDemoConfig from(Config c) {
        return new TransferDemoConfig(split(PRETRAIN_CLASSES.get(c)), split(TARGET_CLASSES.get(c)), PER_CLASS.get(c), BATCH_SIZE.get(c),
                AUTOENCODER_EPOCHS.get(c), SUPERVISED_EPOCHS.get(c), PRETRAIN_RECORDS.get(c), EPOCHS.get(c), LEARNING_RATE.get(c),
                SEEDS.get(c));
    }

    static List<String> split(String classes) {
        return Arrays.stream(classes.split(",")).map(String::strip).toList();
    }

    private static Setting<String> classes(String key, String defaultValue, String doc) {
        return Setting.string(key, defaultValue, doc).where(s -> split(s).size() >= 2 && split(s).stream().noneMatch(String::isEmpty)
                && split(s).stream().distinct().count() == split(s).size(), "at least 2 distinct classes, comma-separated");
    }
}
