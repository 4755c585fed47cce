package dev.nightjar.cli;

import dev.nightjar.data.Manifest;
import dev.nightjar.jobs.EvaluateJob;
import dev.nightjar.storage.Bundles;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model bundle on a dataset split (distributed); writes OUTPUT/metrics.json, for a classifier OUTPUT/report.html (confusion heat map, precision/recall bars, for images the most confident mistakes), and prints a table.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model bundle directory (model.zip, labels.json or tokenizer.json, provenance.json; local or hdfs://), "
            + "or a registry reference REGISTRY/NAME@latest or REGISTRY/NAME@vNNNN.")
    String model;

    @Option(names = "--data", required = true, description = "Dataset directory.")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "Split to evaluate (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--output", required = true, description = "Directory for metrics.json (local or hdfs://).")
    String output;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark partitions (0 = default parallelism).")
    int partitions;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Manifest.read(data, new Configuration()); // fail fast, before Spark starts
        Bundles.resolve(model, new Configuration()); // fail fast, before Spark starts
        return spark.run("evaluate", sc -> {
            System.out.print(EvaluateJob.run(new EvaluateJob.Options(model, data, split, output, partitions), sc).table());
            System.out.println("metrics: " + output + "/" + EvaluateJob.METRICS_FILE);
            return 0;
        });
    }
}
