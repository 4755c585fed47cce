package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.jobs.TrainJob;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.family.DatasetInfo;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.SetupContext;
import dev.nightjar.storage.Bundles;
import dev.nightjar.train.TrainConfig;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the model family that model.family picks (auto: the default for the dataset's kind) with parameter",
                "averaging on Spark; writes metrics.jsonl, checkpoints/, model/ and report.html. On a run directory with checkpoints",
                "it resumes from the newest valid one."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Dataset directory (from prepare).")
    String data;

    @Option(names = "--output", required = true, description = "Run directory (local, file:// or hdfs://).")
    String output;

    @Option(names = "--overwrite", description = "Replace a model already in the run directory.")
    boolean overwrite;

    @Option(names = "--fresh", description = "Start over even if the run directory has checkpoints (by default training resumes from the newest valid one).")
    boolean fresh;

    @Option(names = "--force", description = "With --fresh: discard the run directory's checkpoints.")
    boolean force;

    @Option(names = "--init-from", paramLabel = "MODEL",
            description = "Text classifiers: start from this language model's encoder (embedding and LSTM layers) and fine-tune it "
                    + "as model.classifier.finetune says (head, gradual, full); without it the same network trains from scratch. "
                    + "Language models: continue training this one (same tokenizer and shape). A text CNN (model.family = text-cnn) "
                    + "starts from its embedding table. Image classifiers: start from an image model's trunk (an image classifier's "
                    + "or an image autoencoder's, same input shape) with a new head for the dataset's labels, fine-tuned as "
                    + "model.transfer.finetune says. A bundle directory (local or hdfs://) "
                    + "or a registry reference REGISTRY/NAME@latest or REGISTRY/NAME@vNNNN.")
    String initFrom;

    @Option(names = "--skip-corrupt", description = "Train without the shards that fail verification (missing, wrong size, bad CRC-32); "
            + "they are named in the log, the report and provenance. Without it such a shard stops the run before training (exit 2).")
    boolean skipCorrupt;

    @Option(names = "--resume-new-plan", description = "Resume from a checkpoint even though its segment plan changed (seed, train.workers, "
            + "averaging-frequency, rounds-per-segment, max-records, the skipped corrupt shards or the dataset's contents): the "
            + "checkpoint's epoch starts again from its weights under the new plan. Without it such a resume stops, naming what changed (exit 2).")
    boolean resumeNewPlan;

    @Mixin
    RegisterOptions register;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Config c = config.resolve();
        // fail fast, before Spark starts: typed config, the dataset, the family and its config
        TrainConfig tc = TrainConfig.from(c);
        Manifest m = Manifest.read(data, new Configuration());
        DatasetInfo info = m.info(data, new Configuration());
        Families.forTraining(c, info.kind()).setup(new SetupContext(c, info, tc.epochs(), null, null));
        Configuration hconf = new Configuration();
        if (register.registeredBefore(c, output)) {
            return 0;
        }
        if (register.wanted()) {
            Bundles.recover(output + "/" + TrainJob.MODEL_DIR, hconf);
        }
        boolean finished = register.wanted() && !overwrite && !fresh
                && HadoopFiles.exists(output + "/" + TrainJob.MODEL_DIR + "/" + ModelBundle.MODEL_FILE, hconf);
        TrainJob.Options o = new TrainJob.Options(c, data, output, overwrite, initFrom, fresh, force, skipCorrupt, resumeNewPlan);
        return spark.run("train", sc -> {
            if (finished) {
                System.out.println(output + " finished training earlier; registering its model");
            } else {
                report(TrainJob.run(o, sc));
            }
            register.register(output, data, c, sc);
            return 0;
        });
    }

    private void report(TrainJob.Result r) {
        String tokens = r.unitsPerSecond() != r.examplesPerSecond() ? String.format(Locale.ROOT, ", %.0f tokens/s", r.unitsPerSecond()) : "";
        System.out.printf(Locale.ROOT, "trained in %.1f min at %.0f examples/s%s%s; model: %s%n",
                r.minutes(), r.examplesPerSecond(), tokens, r.validation() == null ? "" : ", validation " + r.validation(),
                output + "/" + TrainJob.MODEL_DIR);
    }
}
