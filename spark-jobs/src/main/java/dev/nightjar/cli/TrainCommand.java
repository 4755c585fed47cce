package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.jobs.GateConfig;
import dev.nightjar.jobs.RegisterJob;
import dev.nightjar.jobs.TrainJob;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.family.DatasetInfo;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.SetupContext;
import dev.nightjar.storage.Registry;
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
                    + "starts from its embedding table. A bundle directory (local or hdfs://) "
                    + "or a registry reference REGISTRY/NAME@latest or REGISTRY/NAME@vNNNN.")
    String initFrom;

    @Option(names = "--skip-corrupt", description = "Train without the shards that fail verification (missing, wrong size, bad CRC-32); "
            + "they are named in the log, the report and provenance. Without it such a shard stops the run before training (exit 2).")
    boolean skipCorrupt;

    @Option(names = "--register-to", paramLabel = "REGISTRY",
            description = "After training, copy the model into REGISTRY/NAME/vNNNN, evaluate it and the current LATEST on the dataset's "
                    + "validation split (registry.gate.*), and move LATEST only if the gate passes. Re-running a registered run does nothing.")
    String registerTo;

    @Option(names = "--model-name", paramLabel = "NAME", description = "With --register-to: the model's name in the registry.")
    String modelName;

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
        if ((registerTo == null) != (modelName == null)) {
            throw new UserException("--register-to and --model-name go together");
        }
        Configuration hconf = new Configuration();
        if (registerTo != null) {
            Registry.checkName(modelName);
            GateConfig.from(c);
            RegisterJob.Outcome done = RegisterJob.previous(registerTo, modelName, output, hconf);
            if (done != null) {
                System.out.printf("%s was registered before as %s@%s (gate: %s); LATEST is %s. Nothing to do.%n", output, modelName,
                        done.version(), done.decision(), done.latest());
                return 0;
            }
        }
        if (registerTo != null) {
            HadoopFiles.recoverDir(output + "/" + TrainJob.MODEL_DIR, hconf);
        }
        boolean finished = registerTo != null && !overwrite && !fresh
                && HadoopFiles.exists(output + "/" + TrainJob.MODEL_DIR + "/" + ModelBundle.MODEL_FILE, hconf);
        TrainJob.Options o = new TrainJob.Options(c, data, output, overwrite, initFrom, fresh, force, skipCorrupt);
        return spark.run("train", sc -> {
            if (finished) {
                System.out.println(output + " finished training earlier; registering its model");
            } else {
                report(TrainJob.run(o, sc));
            }
            if (registerTo != null) {
                RegisterJob.Outcome r = RegisterJob.run(registerTo, modelName, output, data, c, sc);
                System.out.printf("registered %s@%s; gate: %s (%s); LATEST is %s%n", modelName, r.version(), r.decision(),
                        r.gate().get("reason"), r.latest());
            }
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
