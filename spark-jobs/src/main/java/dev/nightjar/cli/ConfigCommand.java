package dev.nightjar.cli;

import dev.nightjar.UserException;
import dev.nightjar.util.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the resolved config (the defaults < --config FILE < --set key=value) with every key validated;",
                "a value that differs from its default shows the default beside it. The reference: docs/configuration.md.",
                "--write-docs regenerates conf/defaults.conf, docs/configuration.md and docs/cli.md from the code."})
final class ConfigCommand implements Callable<Integer> {
    @Option(names = "--write-docs", description = "Rewrite conf/defaults.conf, docs/configuration.md and docs/cli.md under --root (for developers).")
    boolean writeDocs;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
            description = "With --write-docs: the repository root (default: the current directory).")
    Path root;

    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!writeDocs) {
            out.print(ConfigSchema.SCHEMA.render(config.resolve(), List.of(
                    "nightjar config" + (config.file == null ? "" : " --config " + config.file)
                            + String.join("", config.sets.stream().map(s -> " --set " + s).toList()),
                    "The resolved config: the defaults < the job file < --set; every value validated.")));
            out.flush();
            return 0;
        }
        if (config.file != null || !config.sets.isEmpty()) {
            throw new UserException("--write-docs writes the defaults; it takes no --config or --set");
        }
        if (!Files.isDirectory(root.resolve("conf")) || !Files.isRegularFile(root.resolve("pom.xml"))) {
            throw new UserException("--write-docs: " + root.toAbsolutePath().normalize() + " is not the repository root "
                    + "(no conf/ or pom.xml); run it there or give --root DIR");
        }
        for (Map.Entry<Path, String> f : GeneratedDocs.files().entrySet()) {
            Path path = root.resolve(f.getKey());
            if (write(path, f.getValue())) {
                out.println("wrote " + f.getKey());
            } else {
                out.println(f.getKey() + " is up to date");
            }
        }
        out.flush();
        return 0;
    }

    /** Writes the file when its content differs (an unchanged file keeps its time stamp). */
    private static boolean write(Path path, String content) {
        try {
            if (Files.isRegularFile(path) && Files.readString(path, StandardCharsets.UTF_8).equals(content)) {
                return false;
            }
            Files.createDirectories(path.getParent());
            AtomicFiles.writeString(path, content);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
