package dev.nightjar.cli;

import com.typesafe.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "End-to-end demos on sample data. With no part named, runs every part: images, transfer, text, then sentiment.",
        subcommands = {DemoImagesCommand.class, DemoTransferCommand.class, DemoTextCommand.class, DemoSentimentCommand.class})
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
            DemoTransferCommand.run(sc, none.resolveOr(DemoTransferCommand.CONFIG), demo.workdir, demo.samples);
            Config text = none.resolveOr(DemoTextCommand.CONFIG);
            DemoTextCommand.run(sc, text, demo.workdir, demo.samples);
            return DemoSentimentCommand.run(sc, none.resolveOr(DemoSentimentCommand.CONFIG), none.resolveOr(DemoSentimentCommand.CNN_CONFIG),
                    text, none.resolveOr(DemoSentimentCommand.TRANSFORMER_CONFIG), demo.workdir, demo.samples);
        });
    }
}
