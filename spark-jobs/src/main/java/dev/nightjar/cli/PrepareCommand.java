package dev.nightjar.cli;

import picocli.CommandLine.Command;

@Command(name = "prepare", mixinStandardHelpOptions = true, description = "Prepare a dataset directory (shards + manifest).",
        subcommands = {PrepareImagesCommand.class, PrepareTextCommand.class})
final class PrepareCommand {
}
