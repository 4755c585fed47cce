package dev.nightjar.cli;

import dev.nightjar.UserException;
import dev.nightjar.data.Manifest;
import dev.nightjar.model.ModelBundle;
import org.apache.hadoop.conf.Configuration;
import dev.nightjar.jobs.EvaluateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model bundle on a dataset split (distributed); writes OUTPUT/metrics.json and prints a table.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model bundle directory (model.zip, labels.json or tokenizer.json, provenance.json).")
    Path model;

    @Option(names = "--data", required = true, description = "Dataset directory.")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "Split to evaluate (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--output", required = true, description = "Directory for metrics.json.")
    Path output;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark partitions (0 = default parallelism).")
    int partitions;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Manifest.read(data, new Configuration()); // fail fast, before Spark starts
        if (!java.nio.file.Files.isRegularFile(model.resolve(ModelBundle.MODEL_FILE))) {
            throw new UserException("not a model bundle (no " + ModelBundle.MODEL_FILE + "): " + model);
        }
        return spark.run("evaluate", sc -> {
            System.out.print(EvaluateJob.run(new EvaluateJob.Options(model, data, split, output, partitions), sc).table());
            System.out.println("metrics: " + output.resolve(EvaluateJob.METRICS_FILE));
            return 0;
        });
    }
}
