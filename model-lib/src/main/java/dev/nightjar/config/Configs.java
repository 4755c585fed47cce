package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import dev.nightjar.UserException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Layered HOCON configuration: {@code defaults.conf} &lt; job file &lt; {@code --set key=value}.
 * The defaults file is the schema: every key a user sets must exist there, so a typo fails
 * with the key's name instead of being ignored. Typed getters name the key in every error.
 */
public final class Configs {
    public static final String DEFAULTS_RESOURCE = "defaults.conf";

    private Configs() {
    }

    /** The defaults shipped on the classpath (a copy of conf/defaults.conf). */
    public static Config defaults() {
        Config c = ConfigFactory.parseResources(DEFAULTS_RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false));
        return c.resolve();
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
     * @param defaults the schema and default values
     * @param layers   user layers, lowest priority first (job file, then --set)
     */
    public static Config layered(Config defaults, Config... layers) {
        Set<String> known = defaults.entrySet().stream().map(java.util.Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        Config merged = defaults;
        for (Config layer : layers) {
            for (var e : layer.entrySet()) {
                String key = e.getKey();
                if (!known.contains(key)) {
                    throw new UserException("unknown config key '" + key + "'" + suggestion(key, known));
                }
            }
            merged = layer.withFallback(merged);
        }
        try {
            return merged.resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            throw new UserException("config: " + e.getMessage(), e);
        }
    }

    private static String suggestion(String key, Set<String> known) {
        int dot = key.lastIndexOf('.');
        String prefix = dot < 0 ? "" : key.substring(0, dot + 1);
        List<String> siblings = known.stream().filter(k -> k.startsWith(prefix) && k.indexOf('.', prefix.length()) < 0)
                .map(k -> k.substring(prefix.length())).toList();
        if (siblings.isEmpty()) {
            return "";
        }
        return " (known keys" + (prefix.isEmpty() ? "" : " under " + prefix.substring(0, prefix.length() - 1)) + ": "
                + String.join(", ", siblings) + ")";
    }

    public static int intIn(Config c, String key, int min, int max) {
        long v = longIn(c, key, min, max);
        return (int) v;
    }

    public static long longIn(Config c, String key, long min, long max) {
        long v = get(c, key, "an integer", c::getLong);
        if (v < min || v > max) {
            throw new UserException("config key '" + key + "' must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    public static double doubleIn(Config c, String key, double min, double max) {
        double v = get(c, key, "a number", c::getDouble);
        if (!(v >= min && v <= max)) {
            throw new UserException("config key '" + key + "' must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    public static boolean bool(Config c, String key) {
        return get(c, key, "true or false", c::getBoolean);
    }

    /** Reads a key, turning Typesafe's missing/wrong-type errors into ones that name the key and what it expects. */
    private static <T> T get(Config c, String key, String expected, java.util.function.Function<String, T> getter) {
        try {
            return getter.apply(key);
        } catch (ConfigException.Missing e) {
            throw new UserException("config key '" + key + "' is missing");
        } catch (ConfigException.WrongType e) {
            throw new UserException("config key '" + key + "' must be " + expected + ", got " + render(c, key));
        }
    }

    public static String oneOf(Config c, String key, String... allowed) {
        String v = get(c, key, "one of " + String.join("|", allowed), c::getString);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new UserException("config key '" + key + "' must be one of " + String.join("|", allowed) + ", got '" + v + "'");
    }

    public static List<Integer> positiveInts(Config c, String key) {
        List<Integer> v = get(c, key, "a list of positive integers", c::getIntList);
        if (v.isEmpty() || v.stream().anyMatch(i -> i <= 0)) {
            throw new UserException("config key '" + key + "' must be a non-empty list of positive integers, got " + v);
        }
        return List.copyOf(v);
    }

    private static String render(Config c, String key) {
        try {
            return c.getValue(key).render();
        } catch (ConfigException e) {
            return "?";
        }
    }
}
