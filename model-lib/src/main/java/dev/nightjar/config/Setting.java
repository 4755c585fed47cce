package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.nightjar.UserException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One config key, declared once next to the component that reads it: its full key (such as
 * {@code train.epochs}), default, doc string, a description of what is expected, and the reader
 * that validates it. {@link #get} fails with a {@link UserException} that names the key and what
 * is expected; {@link #check} applies the same rule to a value from elsewhere, such as a
 * command-line option that overrides the key.
 *
 * <p>Settings are immutable. {@link Section} groups them, {@link Schema} lists the sections and
 * builds the defaults, the unknown-key check, {@code conf/defaults.conf} and the configuration
 * reference from them.
 *
 * @param <T> the Java type of the value
 */
public final class Setting<T> {
    /** Reads the raw value; Typesafe's Missing and WrongType exceptions are turned into user errors. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(Config c, String key);
    }

    /** A rule on the value; {@code mustBe} completes "config key 'k' must be ...". */
    private record Rule<T>(Predicate<? super T> ok, String mustBe) {
    }

    private static final Set<String> HOCON_WORDS = Set.of("true", "false", "null", "yes", "no", "on", "off");

    private final String key;
    private final T defaultValue;
    private final String doc;
    private final String expected;
    private final Reader<T> reader;
    private final List<Rule<T>> rules;

    private Setting(String key, T defaultValue, String doc, String expected, Reader<T> reader, List<Rule<T>> rules) {
        if (!key.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
            throw new IllegalArgumentException("bad config key '" + key + "': lower-case words with '-', joined by '.'");
        }
        if (doc == null || doc.isBlank()) {
            throw new IllegalArgumentException("config key '" + key + "' has no doc");
        }
        this.key = key;
        this.defaultValue = Objects.requireNonNull(defaultValue, key);
        this.doc = doc.strip();
        this.expected = expected;
        this.reader = reader;
        this.rules = List.copyOf(rules);
        if (!failure(defaultValue).isEmpty()) {
            throw new IllegalArgumentException("the default of '" + key + "' breaks its own rule: " + failure(defaultValue));
        }
    }

    // ---- factories ----

    /** An integer in [min, max] ({@code Integer.MAX_VALUE} as max: no upper bound). */
    public static Setting<Integer> intIn(String key, int defaultValue, int min, int max, String doc) {
        return new Setting<>(key, defaultValue, doc, "an integer" + range(min, max, Integer.MIN_VALUE, Integer.MAX_VALUE),
                (c, k) -> {
                    long v = c.getLong(k);
                    return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : (int) v;
                },
                rangeRules(min, max, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    /** An integer (a Java long) in [min, max]; the extreme longs as bounds: no bound. */
    public static Setting<Long> longIn(String key, long defaultValue, long min, long max, String doc) {
        return new Setting<>(key, defaultValue, doc, "an integer" + range(min, max, Long.MIN_VALUE, Long.MAX_VALUE),
                Config::getLong, rangeRules(min, max, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /** A number in [min, max]. */
    public static Setting<Double> doubleIn(String key, double defaultValue, double min, double max, String doc) {
        String in = "in [" + number(min) + ", " + number(max) + "]";
        return new Setting<>(key, defaultValue, doc, "a number " + in, Config::getDouble,
                List.of(new Rule<Double>(v -> v >= min && v <= max, in)));
    }

    public static Setting<Boolean> bool(String key, boolean defaultValue, String doc) {
        return new Setting<>(key, defaultValue, doc, "true or false", Config::getBoolean, List.of());
    }

    /** One of the allowed strings. */
    public static Setting<String> oneOf(String key, String defaultValue, List<String> allowed, String doc) {
        String oneOf = "one of " + String.join("|", allowed);
        List<String> copy = List.copyOf(allowed);
        return new Setting<>(key, defaultValue, doc, oneOf, Config::getString, List.of(new Rule<String>(copy::contains, oneOf)));
    }

    /** Any string ("" included). */
    public static Setting<String> string(String key, String defaultValue, String doc) {
        return new Setting<>(key, defaultValue, doc, "a string", Config::getString, List.of());
    }

    /** A non-empty list of positive integers. */
    public static Setting<List<Integer>> positiveInts(String key, List<Integer> defaultValue, String doc) {
        String what = "a non-empty list of positive integers";
        return new Setting<>(key, List.copyOf(defaultValue), doc, what, (c, k) -> List.copyOf(c.getIntList(k)),
                List.of(new Rule<List<Integer>>(l -> !l.isEmpty() && l.stream().allMatch(i -> i > 0), what)));
    }

    /**
     * A list of HOCON objects, empty by default, such as the candidates of {@code nightjar compare}. The
     * schema sees the list as one value: the keys inside each object are the reader's to check (naming
     * {@code key[i].name} when one is wrong).
     */
    public static Setting<List<ConfigObject>> objects(String key, String doc) {
        return new Setting<>(key, List.of(), doc, "a list of objects", (c, k) -> List.<ConfigObject>copyOf(c.getObjectList(k)), List.of());
    }

    /**
     * This setting with one more rule. {@code expected} replaces the description of what is
     * expected, in the docs and in the message when the rule fails; e.g.
     * {@code positiveInts(...).where(l -> l.size() == 2, "a list of exactly 2 positive integers")}.
     */
    public Setting<T> where(Predicate<? super T> ok, String expected) {
        List<Rule<T>> more = new ArrayList<>(rules);
        more.add(new Rule<>(ok, expected));
        return new Setting<>(key, defaultValue, doc, expected, reader, more);
    }

    // ---- reading ----

    /** The validated value of this key in a resolved config. */
    public T get(Config c) {
        T v;
        try {
            v = reader.read(c, key);
        } catch (ConfigException.Missing e) {
            throw new UserException("config key '" + key + "' is missing");
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new UserException("config key '" + key + "' must be " + expected + ", got " + render(c, key));
        }
        if (v == null) {
            throw new UserException("config key '" + key + "' must be " + expected + ", got " + render(c, key));
        }
        String failure = failure(v);
        if (!failure.isEmpty()) {
            throw new UserException("config key '" + key + "' must be " + failure + ", got " + show(v));
        }
        return v;
    }

    /**
     * A value from another source, such as a command-line option that overrides this key, checked
     * by this key's rules: {@code check(1.5, "--val-fraction")} fails with "--val-fraction must be
     * in [0, 0.9], got 1.5".
     */
    public T check(T value, String source) {
        String failure = failure(Objects.requireNonNull(value, source));
        if (!failure.isEmpty()) {
            throw new UserException(source + " must be " + failure + ", got " + show(value));
        }
        return value;
    }

    /** {@link #check}ed {@code override} when it is not null, else this key's value in {@code c}. */
    public T getOr(Config c, T override, String source) {
        return override != null ? check(override, source) : get(c);
    }

    /** What the first broken rule expects, or "" when the value keeps every rule. */
    private String failure(T v) {
        for (Rule<T> r : rules) {
            if (!r.ok().test(v)) {
                return r.mustBe();
            }
        }
        return "";
    }

    // ---- what it is ----

    public String key() {
        return key;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** What a value must be, in words: "an integer in [1, 100000]", "one of lenet|convnet". */
    public String expected() {
        return expected;
    }

    /** The default as a HOCON value literal, as {@code conf/defaults.conf} shows it. */
    public String hoconDefault() {
        return hocon(defaultValue);
    }

    /** A value of this setting as a HOCON literal. */
    String hocon(Object v) {
        if (v instanceof Double d) {
            String s = number(d);
            return s.contains(".") || s.contains("E") ? s : s + ".0";
        }
        if (v instanceof String s) {
            boolean bare = s.matches("[A-Za-z][A-Za-z0-9_-]*") && !HOCON_WORDS.contains(s.toLowerCase(java.util.Locale.ROOT));
            return bare ? s : ConfigValueFactory.fromAnyRef(s).render();
        }
        if (v instanceof ConfigValue cv) {
            return cv.render(ConfigRenderOptions.concise());
        }
        if (v instanceof List<?> l) {
            return "[" + String.join(", ", l.stream().map(this::hocon).toList()) + "]";
        }
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        return key + " = " + hoconDefault() + " (" + expected + ")";
    }

    // ---- helpers ----

    private static String range(long min, long max, long lowest, long highest) {
        if (min == lowest && max == highest) {
            return "";
        }
        if (max == highest) {
            return " >= " + min;
        }
        if (min == lowest) {
            return " <= " + max;
        }
        return " in [" + min + ", " + max + "]";
    }

    private static <N extends Number> List<Rule<N>> rangeRules(long min, long max, long lowest, long highest) {
        String r = range(min, max, lowest, highest);
        if (r.isEmpty()) {
            return List.of();
        }
        return List.of(new Rule<N>(v -> v.longValue() >= min && v.longValue() <= max, r.strip()));
    }

    /** A number as people write it: 0.0001, 1000000, 0.95 (no exponent, no trailing zeros). */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return String.valueOf(d);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static String show(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    private static String render(Config c, String key) {
        try {
            return c.getValue(key).render();
        } catch (ConfigException e) {
            return "?";
        }
    }
}
