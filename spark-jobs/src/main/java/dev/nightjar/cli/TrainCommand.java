package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.data.Manifest;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.LanguageModelConfig;
import dev.nightjar.model.TextClassifierConfig;
import dev.nightjar.train.TrainConfig;
import dev.nightjar.jobs.TrainJob;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model on a dataset directory with parameter averaging on Spark; writes metrics.jsonl, checkpoints/,",
                "model/ and report.html. On a run directory with checkpoints it resumes from the newest valid one."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Dataset directory (from prepare).")
    String data;

    @Option(names = "--output", required = true, description = "Run directory.")
    Path output;

    @Option(names = "--overwrite", description = "Replace a model already in the run directory.")
    boolean overwrite;

    @Option(names = "--fresh", description = "Start over even if the run directory has checkpoints (by default training resumes from the newest valid one).")
    boolean fresh;

    @Option(names = "--force", description = "With --fresh: discard the run directory's checkpoints.")
    boolean force;

    @Option(names = "--init-from", paramLabel = "MODEL_DIR",
            description = "Text classifiers: start from this language model's encoder (embedding and LSTM layers) and fine-tune it "
                    + "as model.classifier.finetune says (head, gradual, full); without it the same network trains from scratch. "
                    + "Language models: continue training this one (same tokenizer and shape).")
    Path initFrom;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Config c = config.resolve();
        // fail fast, before Spark starts: typed config, then the dataset
        TrainConfig.from(c);
        Manifest m = Manifest.read(data, new Configuration());
        switch (m.kind()) {
            case "image" -> ImageModelConfig.from(c);
            case "classification" -> TextClassifierConfig.from(c);
            default -> LanguageModelConfig.from(c);
        }
        TrainJob.Options o = new TrainJob.Options(c, data, output, overwrite, initFrom, fresh, force);
        return spark.run("train", sc -> {
            TrainJob.Result r = TrainJob.run(o, sc);
            String tokens = r.unitsPerSecond() != r.examplesPerSecond() ? String.format(Locale.ROOT, ", %.0f tokens/s", r.unitsPerSecond()) : "";
            System.out.printf(Locale.ROOT, "trained in %.1f min at %.0f examples/s%s%s; model: %s%n",
                    r.minutes(), r.examplesPerSecond(), tokens, r.validation() == null ? "" : ", validation " + r.validation(),
                    output.resolve(TrainJob.MODEL_DIR));
            return 0;
        });
    }
}
