package dev.nightjar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "End-to-end demos on sample data. With no part named, runs every part: images, then text.",
        subcommands = {DemoImagesCommand.class, DemoTextCommand.class})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    DemoOptions demo;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        ConfigOptions none = new ConfigOptions();
        return spark.run("demo", sc -> {
            DemoImagesCommand.run(sc, none.resolveOr(DemoImagesCommand.CONFIG), demo.workdir, demo.samples);
            return DemoTextCommand.run(sc, none.resolveOr(DemoTextCommand.CONFIG), demo.workdir, demo.samples);
        });
    }
}
