package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.data.HadoopFiles;
import org.apache.hadoop.conf.Configuration;
import dev.nightjar.data.image.ImagePrep;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.LabelMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
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

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Config c = config.resolve();
        if (!split.equals("train") && !split.equals("test")) {
            throw new dev.nightjar.UserException("--split must be train or test, got " + split);
        }
        double val = valFraction != null ? valFraction : Configs.doubleIn(c, "prepare.images.val-fraction", 0, 0.9);
        if (val < 0 || val > 0.9) {
            throw new dev.nightjar.UserException("--val-fraction must be in [0, 0.9], got " + val);
        }
        ImagePrep.Options o = options(c, input, output, split.equals("test"), val, seed, labels(labelsFrom), overwrite);
        if (!HadoopFiles.exists(input, new Configuration())) {
            throw new dev.nightjar.UserException("input not found: " + input);
        }
        return spark.run("prepare images", sc -> {
            ImagePrep.Result r = new ImagePrep(sc).run(o);
            System.out.printf("prepared %s: %s; read %d, kept %d, skipped %d%n", output, r.manifest().splits(),
                    r.report().read(), r.report().kept(), r.report().dropped());
            r.report().skipped().forEach(s -> System.out.println("  skipped " + s.file() + ": " + s.reason()));
            return 0;
        });
    }

    static ImagePrep.Options options(Config c, String input, String output, boolean test, double val, Long seed, LabelMap labels,
                                     boolean overwrite) {
        ImageShape shape = new ImageShape(Configs.intIn(c, "prepare.images.channels", 1, 3),
                Configs.intIn(c, "prepare.images.height", 8, 4096), Configs.intIn(c, "prepare.images.width", 8, 4096));
        return new ImagePrep.Options(input, output, test, val, seed != null ? seed : c.getLong("seed"), shape,
                Configs.intIn(c, "prepare.images.batch-size", 1, 65_536), Configs.intIn(c, "prepare.images.shard-examples", 1, 100_000_000),
                labels, overwrite);
    }

    static LabelMap labels(Path from) {
        if (from == null) {
            return null;
        }
        return LabelMap.load(Files.isDirectory(from) ? from : from.getParent());
    }
}
