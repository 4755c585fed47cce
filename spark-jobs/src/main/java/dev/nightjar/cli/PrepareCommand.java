package dev.nightjar.cli;

import picocli.CommandLine.Command;

@Command(name = "prepare", mixinStandardHelpOptions = true, description = "Prepare a dataset directory (shards + manifest), or import pretrained word vectors.",
        subcommands = {PrepareImagesCommand.class, PrepareTextCommand.class, PrepareVectorsCommand.class})
final class PrepareCommand {
}
