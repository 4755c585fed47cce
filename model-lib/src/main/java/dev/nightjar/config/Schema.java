package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import dev.nightjar.UserException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every config key the application knows, as a list of {@link Section}s. From the declarations it
 * builds the defaults {@link Config} (the lowest layer), rejects unknown keys in the user's layers
 * (naming the key and its known siblings), and renders {@code conf/defaults.conf} and the
 * configuration reference. A key declared in two sections, or a key that is also the prefix of
 * another, fails at construction.
 */
public final class Schema {
    private static final int WIDTH = 110;

    private final List<Section> sections;
    private final Map<String, Setting<?>> settings;
    private final Config defaults;

    public Schema(List<Section> sections) {
        this.sections = List.copyOf(sections);
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        Map<String, String> sectionOf = new LinkedHashMap<>();
        for (Section s : this.sections) {
            for (Setting<?> setting : s.settings()) {
                String before = sectionOf.putIfAbsent(setting.key(), s.owner().getName());
                if (before != null) {
                    throw new IllegalArgumentException("config key '" + setting.key() + "' is declared twice: by " + before
                            + " and by " + s.owner().getName());
                }
                byKey.put(setting.key(), setting);
            }
        }
        for (String k : byKey.keySet()) {
            for (String other : byKey.keySet()) {
                if (other.startsWith(k + ".")) {
                    throw new IllegalArgumentException("config key '" + k + "' is both a value and the parent of '" + other + "'");
                }
            }
        }
        this.settings = Collections.unmodifiableMap(byKey);
        Map<String, Object> values = new LinkedHashMap<>();
        byKey.forEach((k, s) -> values.put(k, s.defaultValue()));
        this.defaults = ConfigFactory.parseMap(values, "the config declarations (Setting fields)").resolve();
    }

    public static Schema of(Section... sections) {
        return new Schema(List.of(sections));
    }

    /**
     * The application's schema: the one {@link SchemaProvider} on the class path (spark-jobs'
     * {@code dev.nightjar.cli.ConfigSchema}).
     */
    public static Schema application() {
        return Application.SCHEMA;
    }

    private static final class Application {
        static final Schema SCHEMA = load();

        private static Schema load() {
            List<SchemaProvider> found = new ArrayList<>();
            ServiceLoader.load(SchemaProvider.class).forEach(found::add);
            if (found.size() != 1) {
                throw new IllegalStateException("expected exactly one " + SchemaProvider.class.getName()
                        + " on the class path (META-INF/services), found " + found.stream().map(p -> p.getClass().getName()).toList());
            }
            return Objects.requireNonNull(found.get(0).schema(), "schema of " + found.get(0).getClass().getName());
        }
    }

    public List<Section> sections() {
        return sections;
    }

    /** Every setting, by full key, in display order. */
    public Map<String, Setting<?>> settings() {
        return settings;
    }

    /** Every key, sorted. */
    public Set<String> keys() {
        return new TreeSet<>(settings.keySet());
    }

    /** The defaults of every key, from the declarations. */
    public Config defaults() {
        return defaults;
    }

    /** Fails naming the first key of {@code layer} this schema does not declare, with its known siblings. */
    public void requireKnown(Config layer) {
        for (var e : layer.entrySet()) {
            if (!settings.containsKey(e.getKey())) {
                throw unknownKey(e.getKey(), settings.keySet());
            }
        }
    }

    /**
     * The defaults under the user's layers, each checked for unknown keys and resolved.
     *
     * @param layers lowest priority first: the job file, then {@code --set}
     */
    public Config resolve(Config... layers) {
        return layer(defaults, settings.keySet(), layers);
    }

    /** Reads every setting of a resolved config: fails naming the first bad key and what it expects. */
    public Config validate(Config c) {
        settings.values().forEach(s -> s.get(c));
        return c;
    }

    static Config layer(Config defaults, Set<String> known, Config... layers) {
        Config merged = defaults;
        for (Config layer : layers) {
            for (var e : layer.entrySet()) {
                if (!known.contains(e.getKey())) {
                    throw unknownKey(e.getKey(), known);
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

    static UserException unknownKey(String key, Set<String> known) {
        int dot = key.lastIndexOf('.');
        String prefix = dot < 0 ? "" : key.substring(0, dot + 1);
        List<String> siblings = new TreeSet<>(known).stream()
                .filter(k -> k.startsWith(prefix) && k.indexOf('.', prefix.length()) < 0)
                .map(k -> k.substring(prefix.length())).toList();
        String hint = siblings.isEmpty() ? "" : " (known keys" + (prefix.isEmpty() ? "" : " under " + prefix.substring(0, prefix.length() - 1))
                + ": " + String.join(", ", siblings) + ")";
        return new UserException("unknown config key '" + key + "'" + hint);
    }

    // ---- rendering ----

    /**
     * {@code conf/defaults.conf}: HOCON with every key at its default, grouped by section, each doc
     * as a comment above its key.
     *
     * @param header comment lines at the top (without "# ")
     */
    public String defaultsConf(List<String> header) {
        StringBuilder out = new StringBuilder();
        header.forEach(h -> out.append(h.isEmpty() ? "#" : "# " + h).append('\n'));
        for (Section s : sections) {
            out.append('\n');
            out.append("# ").append("-".repeat(WIDTH - 2)).append('\n');
            out.append("# ").append(heading(s)).append('\n');
            comment(out, "", s.doc() + " (declared in " + s.owner().getName() + ")");
            body(out, s, null);
        }
        return out.toString();
    }

    /**
     * A resolved config as HOCON, every key in schema order, each value that differs from its
     * default followed by a comment with the default. The config is validated first.
     */
    public String render(Config resolved, List<String> header) {
        validate(resolved);
        StringBuilder out = new StringBuilder();
        header.forEach(h -> out.append(h.isEmpty() ? "#" : "# " + h).append('\n'));
        for (Section s : sections) {
            out.append('\n').append("# ").append(heading(s)).append('\n');
            body(out, s, resolved);
        }
        return out.toString();
    }

    private void body(StringBuilder out, Section s, Config values) {
        List<String[]> entries = new ArrayList<>();
        for (Setting<?> setting : s.settings()) {
            entries.add(new String[]{s.relative(setting), setting.key()});
        }
        if (s.path().isEmpty()) {
            entries(out, entries, "", values);
        } else {
            out.append(s.path()).append(" {\n");
            entries(out, entries, "  ", values);
            out.append("}\n");
        }
    }

    /** Entries {relative key, full key}; consecutive keys under one sub-path become a nested block. */
    private void entries(StringBuilder out, List<String[]> entries, String indent, Config values) {
        for (int i = 0; i < entries.size(); ) {
            String rel = entries.get(i)[0];
            int dot = rel.indexOf('.');
            if (dot > 0) {
                String head = rel.substring(0, dot);
                List<String[]> sub = new ArrayList<>();
                while (i < entries.size() && entries.get(i)[0].startsWith(head + ".")) {
                    sub.add(new String[]{entries.get(i)[0].substring(dot + 1), entries.get(i)[1]});
                    i++;
                }
                out.append(indent).append(head).append(" {\n");
                entries(out, sub, indent + "  ", values);
                out.append(indent).append("}\n");
                continue;
            }
            Setting<?> s = settings.get(entries.get(i)[1]);
            if (values == null) {
                comment(out, indent, s.doc());
                out.append(indent).append(rel).append(" = ").append(s.hoconDefault()).append('\n');
            } else {
                String value = s.hocon(s.get(values));
                out.append(indent).append(rel).append(" = ").append(value);
                if (!value.equals(s.hoconDefault())) {
                    out.append("  # default: ").append(s.hoconDefault());
                }
                out.append('\n');
            }
            i++;
        }
    }

    private static void comment(StringBuilder out, String indent, String text) {
        for (String line : wrap(text, WIDTH - indent.length() - 2)) {
            out.append(indent).append("# ").append(line).append('\n');
        }
    }

    private static String heading(Section s) {
        return (s.path().isEmpty() ? "top level" : s.path()) + ": " + s.title();
    }

    /**
     * The configuration reference in Markdown: per section a heading, its doc, and a list of its
     * keys with default, what is expected and the doc. Lines are about 100 characters at most.
     *
     * @param preamble lines before the first section (title, how it was generated, layering)
     */
    public String markdown(List<String> preamble) {
        StringBuilder out = new StringBuilder();
        preamble.forEach(l -> out.append(l).append('\n'));
        for (Section s : sections) {
            out.append('\n').append("## ").append(s.path().isEmpty() ? "Top level" : "`" + s.path() + "`")
                    .append(": ").append(s.title()).append("\n\n");
            markdownWrap(s.doc() + " Declared in `" + s.owner().getName() + "`.", 100).forEach(l -> out.append(l).append('\n'));
            out.append('\n');
            for (Setting<?> setting : s.settings()) {
                String item = "`" + setting.key() + "` = `" + setting.hoconDefault() + "` (" + setting.expected().replace("|", " | ") + "). " + setting.doc();
                List<String> lines = markdownWrap(item, 98);
                out.append("- ").append(lines.get(0)).append('\n');
                lines.subList(1, lines.size()).forEach(l -> out.append("  ").append(l).append('\n'));
            }
        }
        return out.toString();
    }

    /** Words into lines of at most {@code width} characters (a longer word gets a line of its own). */
    static List<String> wrap(String text, int width) {
        return wrap(text, width, false);
    }

    /**
     * {@link #wrap}, but a word that Markdown would read as a list marker, heading or quote at the
     * start of a line ({@code -}, {@code =}, {@code #}, {@code 1.}, ...) stays on the line before.
     */
    static List<String> markdownWrap(String text, int width) {
        return wrap(text, width, true);
    }

    private static List<String> wrap(String text, int width, boolean markdown) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            boolean marker = markdown && word.matches("[-+*=>|]+|#.*|\\d+[.)]");
            if (line.length() > 0 && line.length() + 1 + word.length() > width && !marker) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
