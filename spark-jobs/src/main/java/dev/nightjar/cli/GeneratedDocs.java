package dev.nightjar.cli;

import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documentation generated from the code: the config files of {@link ConfigSchema} and
 * {@code docs/cli.md}, every command's {@code --help} as picocli prints it. {@code nightjar config
 * --write-docs} writes them; a test fails when a file on disk differs.
 */
final class GeneratedDocs {
    static final Path CLI_REFERENCE = Path.of("docs", "cli.md");
    private static final int WIDTH = 110;

    private GeneratedDocs() {
    }

    /** Every generated file, by path relative to the repository root, with its content. */
    static Map<Path, String> files() {
        Map<Path, String> files = new LinkedHashMap<>(ConfigSchema.generated());
        files.put(CLI_REFERENCE, cliReference());
        return files;
    }

    static String cliReference() {
        List<String> out = new ArrayList<>(List.of(
                "# Command-line reference",
                "",
                "<!-- GENERATED from the picocli annotations by `" + ConfigSchema.REGENERATE + "` (in the repository root);",
                "     do not edit. A test fails when this file differs. -->",
                "",
                "Every command's `--help`, as `deploy/nightjar <command> --help` prints it. Explanations and examples:",
                "[commands.md](commands.md); config keys: [configuration.md](configuration.md).",
                ""));
        CommandLine root = new CommandLine(new Nightjar());
        add(root, out);
        return String.join("\n", out) + "\n";
    }

    private static void add(CommandLine cl, List<String> out) {
        if (cl.getCommand() instanceof CommandLine.HelpCommand) {
            return;
        }
        cl.setUsageHelpWidth(WIDTH);
        out.add("## " + cl.getCommandSpec().qualifiedName(" "));
        out.add("");
        out.add("```");
        out.add(cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing());
        out.add("```");
        out.add("");
        cl.getSubcommands().values().stream().distinct().forEach(sub -> add(sub, out));
    }
}
