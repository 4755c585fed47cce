package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.nightjar.UserException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Layered HOCON configuration: the defaults &lt; job file &lt; {@code --set key=value}. The defaults
 * come from the {@link Setting} declarations of each component (see {@link Schema});
 * {@code conf/defaults.conf} is generated from them for people to read. A key the schema does not
 * declare fails with its name instead of being ignored.
 */
public final class Configs {
    /** The top-level seed: weight init, shard order, splits and augmentation. Every reader of the seed uses this. */
    public static final Setting<Long> SEED = Setting.longIn("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE,
            "Seed for weight init, shard order, splits and augmentation.");

    /** The top-level keys. */
    public static final Section SECTION = new Section("", "the seed",
            "Keys outside any section, shared by every command.", Configs.class, SEED);

    private Configs() {
    }

    /** The defaults of the application's schema ({@link Schema#application()}), from the declarations. */
    public static Config defaults() {
        return Schema.application().defaults();
    }

    /** Parses a job file from disk, or from the classpath when it is given as {@code classpath:NAME}. */
    public static Config parseJobFile(String location) {
        try {
            if (location.startsWith("classpath:")) {
                return ConfigFactory.parseResources(location.substring("classpath:".length()),
                        ConfigParseOptions.defaults().setAllowMissing(false));
            }
            Path p = Path.of(location);
            if (!Files.isRegularFile(p)) {
                throw new UserException("config file not found: " + location);
            }
            return ConfigFactory.parseFile(p.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new UserException("cannot parse config " + location + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code key=value} overrides; values are HOCON, so lists and numbers work. */
    public static Config parseOverrides(List<String> sets) {
        Config c = ConfigFactory.empty();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UserException("--set expects key=value, got: " + s);
            }
            String key = s.substring(0, eq).trim();
            String value = s.substring(eq + 1).trim();
            try {
                Config one = ConfigFactory.parseString(quoteKey(key) + " = " + (value.isEmpty() ? "\"\"" : value));
                c = one.withFallback(c);
            } catch (ConfigException e) {
                try {
                    // a bare string such as a path with colons: quote it
                    Config one = ConfigFactory.parseString(quoteKey(key) + " = " + com.typesafe.config.ConfigValueFactory.fromAnyRef(value).render());
                    c = one.withFallback(c);
                } catch (ConfigException e2) {
                    throw new UserException("--set " + s + ": " + e2.getMessage(), e2);
                }
            }
        }
        return c;
    }

    private static String quoteKey(String key) {
        if (!key.matches("[A-Za-z0-9_.-]+")) {
            throw new UserException("--set: bad key '" + key + "' (expected dotted names such as train.epochs)");
        }
        return key;
    }

    /**
     * Merges the layers and rejects any key the defaults do not define.
     *
     * @param defaults the schema and default values (such as {@link #defaults()})
     * @param layers   user layers, lowest priority first (job file, then --set)
     */
    public static Config layered(Config defaults, Config... layers) {
        Set<String> known = defaults.entrySet().stream().map(java.util.Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        return Schema.layer(defaults, known, layers);
    }
}
