package dev.nightjar.cli;

import dev.nightjar.jobs.FetchSamples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "fetch-samples", mixinStandardHelpOptions = true,
        description = "Get the sample corpora from Debian's packages (Fashion-MNIST from dataset-fashion-mnist). Idempotent.")
final class FetchSamplesCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "data/samples", description = "Where samples go (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() {
        Path fashion = FetchSamples.fashionMnist(dir);
        System.out.println("Fashion-MNIST: " + fashion);
        return 0;
    }
}
