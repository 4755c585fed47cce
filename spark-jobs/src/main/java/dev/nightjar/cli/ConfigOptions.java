package dev.nightjar.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.nightjar.config.Configs;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** HOCON layering: the declared defaults ({@link ConfigSchema}) &lt; --config FILE &lt; --set key=value. */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Job config (HOCON) over the defaults; classpath:NAME reads a bundled one, e.g. classpath:fashion-cnn.conf.")
    String file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key, e.g. --set train.epochs=3 (repeatable).")
    List<String> sets = new ArrayList<>();

    /** The config with this job file, or the given default job file when --config was not given. */
    Config resolveOr(String defaultFile) {
        return resolve(file != null ? file : defaultFile);
    }

    /** The config with another job file and the same --set overrides. */
    Config resolveWith(String jobFile) {
        return resolve(jobFile);
    }

    Config resolve() {
        return resolve(file);
    }

    private Config resolve(String jobFile) {
        Config job = jobFile == null ? ConfigFactory.empty() : Configs.parseJobFile(jobFile);
        return ConfigSchema.SCHEMA.resolve(job, Configs.parseOverrides(sets));
    }
}
