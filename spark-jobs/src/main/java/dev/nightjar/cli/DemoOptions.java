package dev.nightjar.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the demos write and where they find (or fetch) the sample data. */
final class DemoOptions {
    @Option(names = "--workdir", defaultValue = "work/demo", description = "Demo directory (default: ${DEFAULT-VALUE}).")
    Path workdir;

    @Option(names = "--samples", defaultValue = "data/samples", description = "Sample data directory (default: ${DEFAULT-VALUE}).")
    Path samples;
}
