package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.data.Manifest;
import dev.nightjar.jobs.BaselineJob;
import dev.nightjar.jobs.EvaluateJob;
import dev.nightjar.model.family.DatasetKind;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = {"Train the first model a data engineer would try on a classification dataset's own splits:",
                "MLlib tokenizer, 1-2-grams, TF-IDF, logistic regression (regularisation chosen on the validation split).",
                "Writes OUTPUT/metrics.json in the schema of evaluate, baseline.json and model/ (the MLlib pipeline), which",
                "--register-to makes a registry version like a trained network's."})
final class BaselineCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Classification dataset directory (prepare text --task classification).")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "Split the metrics are measured on (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--output", required = true, description = "Output directory.")
    Path output;

    @Mixin
    RegisterOptions register;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Config c = config.resolve();
        Manifest.read(data, new Configuration()).requireKind(DatasetKind.CLASSIFICATION, data); // fail fast, before Spark starts
        if (register.registeredBefore(c, output.toString())) {
            return 0;
        }
        return spark.run("baseline", sc -> {
            String copied = register.copiedBefore(output.toString(), sc.hadoopConfiguration());
            if (copied != null) {
                System.out.printf("%s was copied into the registry as %s before; finishing its registration%n",
                        output.resolve(BaselineJob.MODEL_DIR), register.modelName + "@" + copied);
            } else {
                BaselineJob.Result r = BaselineJob.run(new BaselineJob.Options(data, split, output), sc);
                System.out.print(r.metrics().table());
                System.out.printf(Locale.ROOT, "regParam %s (validation accuracy by regParam: %s)%nmetrics: %s%n", r.regParam(),
                        r.validationAccuracy(), output.resolve(EvaluateJob.METRICS_FILE));
            }
            register.register(output.toString(), data, c, sc);
            return 0;
        });
    }
}
