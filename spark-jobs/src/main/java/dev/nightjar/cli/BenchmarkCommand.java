package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.data.Manifest;
import dev.nightjar.jobs.BenchmarkJob;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Training throughput: the same records in one process (plain fit, all cores) and with parameter",
                "averaging on Spark. Prints examples/s (tokens/s for text) for both (first segment excluded as warm-up)."})
final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Dataset directory with a train split.")
    String data;

    @Option(names = "--records", defaultValue = "200", description = "Shard records (minibatches) to train on (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--output", description = "Also write the results as JSON to this file.")
    Path output;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Config c = config.resolve();
        Manifest.read(data, new Configuration());
        return spark.run("benchmark", sc -> {
            BenchmarkJob.Result result = BenchmarkJob.run(c, data, records, sc);
            BenchmarkJob.Workload w = result.workload();
            System.out.printf(Locale.ROOT, "%s, %,d parameters: %,d examples in %d records%s, %.1f MFLOP per example (training)%n",
                    w.family(), w.parameters(), w.examples(), w.records(),
                    w.timeStepsPerExample() > 0 ? String.format(Locale.ROOT, " of %.1f time steps", w.timeStepsPerExample()) : "",
                    w.trainingFlopsPerExample() / 1e6);
            for (BenchmarkJob.Run r : result.runs()) {
                String tokens = r.tokensPerSecond() != r.examplesPerSecond() ? String.format(Locale.ROOT, "  %8.0f tokens/s", r.tokensPerSecond()) : "";
                System.out.printf(Locale.ROOT, "%-36s threads %2d  %7d examples in %6.1f s  %7.0f examples/s%s  %6.2f GFLOP/s  "
                                + "outside fit %4.1f%%  final loss %.4f%n",
                        r.name(), r.threads(), r.examples(), r.seconds(), r.examplesPerSecond(), tokens, r.gflopsPerSecond(),
                        100 * r.averagingShare(), r.finalLoss());
            }
            if (output != null) {
                Json.writeFile(output, result);
            }
            return 0;
        });
    }
}
