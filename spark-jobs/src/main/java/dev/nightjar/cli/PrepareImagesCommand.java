package dev.nightjar.cli;

import dev.nightjar.config.Configs;
import dev.nightjar.config.OptionOverride;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.image.ClassSelection;
import dev.nightjar.data.image.ImagePrep;
import dev.nightjar.data.image.ImagePrepConfig;
import dev.nightjar.model.LabelMap;
import dev.nightjar.storage.RunLock;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "images", mixinStandardHelpOptions = true,
        description = {"Prepare images: IDX files (gzipped or not) or a folder with one subfolder per class (PNG/JPEG of any size).",
                "Unreadable and non-image files are skipped and listed in prep-report.json."})
final class PrepareImagesCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "IDX images file (its labels file sits beside it) or a class-folder tree.")
    String input;

    @Option(names = "--output", required = true, description = "Dataset directory to create.")
    String output;

    @Option(names = "--split", defaultValue = "train", description = "train (train + validation split) or test (every record in test). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--val-fraction", description = "Validation share of a train preparation (default: prepare.images.val-fraction).")
    Double valFraction;

    @Option(names = "--seed", description = "Split and shuffle seed (default: seed).")
    Long seed;

    @Option(names = "--labels-from", paramLabel = "MODEL_DIR|labels.json",
            description = "Use this label order (a model bundle's), so the data evaluates with that model.")
    Path labelsFrom;

    @Option(names = "--classes", split = ",", paramLabel = "CLASS[,CLASS...]",
            description = {"Keep only these classes, by name or index as the input's labels give them (labels.txt beside IDX files, "
                    + "folder names); labels.json then holds them in the input's order, relabelled 0..k-1. Others are counted as "
                    + "dropped ('class not selected')."})
    List<String> classes;

    @Option(names = "--per-class", paramLabel = "N",
            description = {"Keep at most N examples of each class in the train split (a seeded random choice per class); the validation "
                    + "split keeps round(N * val-fraction / (1 - val-fraction)) per class, a test preparation N per class. "
                    + "The rest are counted as dropped ('over per-class limit')."})
    Integer perClass;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        ImagePrepConfig prep = ImagePrepConfig.from(OptionOverride.apply(config.resolve(),
                new OptionOverride<>(ImagePrepConfig.VAL_FRACTION, "--val-fraction", valFraction),
                new OptionOverride<>(Configs.SEED, "--seed", seed)));
        if (!split.equals("train") && !split.equals("test")) {
            throw new dev.nightjar.UserException("--split must be train or test, got " + split);
        }
        if (perClass != null && perClass < 1) {
            throw new dev.nightjar.UserException("--per-class must be at least 1, got " + perClass);
        }
        ImagePrep.Options o = prep.options(input, output, split.equals("test"), labels(labelsFrom), overwrite)
                .withSelection(new ClassSelection(classes == null ? List.of() : classes, perClass == null ? 0 : perClass));
        if (!HadoopFiles.exists(input, new Configuration())) {
            throw new dev.nightjar.UserException("input not found: " + input);
        }
        return spark.run("prepare images", sc -> {
            ImagePrep.Result r = RunLock.whilePublishing(output, sc.hadoopConfiguration(), () -> new ImagePrep(sc).run(o));
            System.out.printf("prepared %s: %s; read %d, kept %d, skipped %d%n", output, r.manifest().splits(),
                    r.report().read(), r.report().kept(), r.report().dropped());
            r.report().skipped().forEach(s -> System.out.println("  skipped " + s.file() + ": " + s.reason()));
            return 0;
        });
    }

    static LabelMap labels(Path from) {
        if (from == null) {
            return null;
        }
        return LabelMap.load(Files.isDirectory(from) ? from : from.getParent());
    }
}
