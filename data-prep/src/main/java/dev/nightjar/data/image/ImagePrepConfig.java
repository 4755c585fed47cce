package dev.nightjar.data.image;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.LabelMap;

/**
 * Typed, validated {@code prepare.images.*} (and the seed) for {@code nightjar prepare images}.
 * Command-line options that override a key go through {@link #withValFraction} and
 * {@link #withSeed}, checked by the key's own rule.
 *
 * @param folderShape   the shape images from folders are converted to (IDX files keep their own)
 * @param batchSize     examples per shard record (the training minibatch)
 * @param shardExamples examples per shard file
 * @param valFraction   share of a train preparation's examples for validation
 * @param seed          split and shuffle seed
 */
public record ImagePrepConfig(ImageShape folderShape, int batchSize, int shardExamples, double valFraction, long seed)
        implements java.io.Serializable {
    public static final Setting<Integer> CHANNELS = Setting.intIn("prepare.images.channels", 1, 1, 3,
            "Channels of images read from folders: 1 (grey) or 3 (RGB). IDX files keep their own shape.")
            .where(n -> n == 1 || n == 3, "1 or 3");
    public static final Setting<Integer> HEIGHT = Setting.intIn("prepare.images.height", 28, 8, 4096,
            "Height in pixels images from folders are scaled to.");
    public static final Setting<Integer> WIDTH = Setting.intIn("prepare.images.width", 28, 8, 4096,
            "Width in pixels images from folders are scaled to.");
    public static final Setting<Integer> BATCH_SIZE = Setting.intIn("prepare.images.batch-size", 64, 1, 65_536,
            "Examples per shard record = the training minibatch.");
    public static final Setting<Integer> SHARD_EXAMPLES = Setting.intIn("prepare.images.shard-examples", 8192, 1, 100_000_000,
            "Examples per shard file.");
    public static final Setting<Double> VAL_FRACTION = Setting.doubleIn("prepare.images.val-fraction", 0.1, 0, 0.9,
            "Share of a train preparation's examples for the validation split (--val-fraction overrides it).");

    public static final Section SECTION = new Section("prepare.images", "image datasets",
            "How nightjar prepare images (and demo images) turns IDX files or class folders into a dataset directory. "
                    + "The split and shuffle use the top-level seed (--seed overrides it).",
            ImagePrepConfig.class, CHANNELS, HEIGHT, WIDTH, BATCH_SIZE, SHARD_EXAMPLES, VAL_FRACTION);

    public static ImagePrepConfig from(Config c) {
        return new ImagePrepConfig(new ImageShape(CHANNELS.get(c), HEIGHT.get(c), WIDTH.get(c)), BATCH_SIZE.get(c),
                SHARD_EXAMPLES.get(c), VAL_FRACTION.get(c), Configs.SEED.get(c));
    }

    /**
     * The job's options for one input.
     *
     * @param allTest put every record in the test split
     * @param labels  a fixed label map (a model's), or null to derive one from the input
     */
    public ImagePrep.Options options(String input, String output, boolean allTest, LabelMap labels, boolean overwrite) {
        return new ImagePrep.Options(input, output, allTest, valFraction, seed, folderShape, batchSize, shardExamples, labels, overwrite);
    }
}
