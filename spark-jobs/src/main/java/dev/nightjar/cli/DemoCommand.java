package dev.nightjar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "End-to-end demos on sample data. With no part named, runs every part: images, then text.",
        subcommands = {DemoImagesCommand.class, DemoTextCommand.class})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--workdir", defaultValue = "work/demo", description = "Demo directory (default: ${DEFAULT-VALUE}).")
    Path workdir;

    @Option(names = "--samples", defaultValue = "data/samples", description = "Sample data directory (default: ${DEFAULT-VALUE}).")
    Path samples;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        ConfigOptions none = new ConfigOptions();
        return spark.run("demo", sc -> {
            DemoImagesCommand.run(sc, none.resolveOr(DemoImagesCommand.CONFIG), workdir, samples);
            return DemoTextCommand.run(sc, none.resolveOr(DemoTextCommand.CONFIG), workdir, samples);
        });
    }
}
