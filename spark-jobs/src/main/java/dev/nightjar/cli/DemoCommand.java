package dev.nightjar.cli;

import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "End-to-end demos on sample data.",
        subcommands = {DemoImagesCommand.class})
final class DemoCommand {
}
