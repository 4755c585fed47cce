package dev.nightjar.cli;

import picocli.CommandLine.Command;

@Command(name = "pretrain", mixinStandardHelpOptions = true, description = "Pretrain on a user's unlabelled corpus with Spark: word vectors.",
        subcommands = {PretrainVectorsCommand.class})
final class PretrainCommand {
}
