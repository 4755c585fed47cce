package dev.nightjar.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A named group of settings, declared by the component that reads them (its config record's
 * {@code SECTION}), in the order the docs show them.
 *
 * @param path     the key prefix, such as {@code train} or {@code model.lm}; "" for top-level keys
 * @param title    a few words for the heading, such as "distributed training"
 * @param doc      one paragraph: what the section configures and which command reads it
 * @param owner    the class that declares and reads the settings (named in the docs)
 * @param settings the settings, in display order; every key starts with {@code path + "."}
 */
public record Section(String path, String title, String doc, Class<?> owner, List<Setting<?>> settings) {
    public Section {
        settings = List.copyOf(settings);
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("section '" + path + "' declares no settings");
        }
        Set<String> seen = new HashSet<>();
        for (Setting<?> s : settings) {
            if (path.isEmpty() ? s.key().contains(".") : !s.key().startsWith(path + ".")) {
                throw new IllegalArgumentException("config key '" + s.key() + "' is not under section '" + path + "'");
            }
            if (!seen.add(s.key())) {
                throw new IllegalArgumentException("config key '" + s.key() + "' is declared twice in section '" + path + "'");
            }
        }
    }

    public Section(String path, String title, String doc, Class<?> owner, Setting<?>... settings) {
        this(path, title, doc, owner, List.of(settings));
    }

    /** A setting's key relative to this section: {@code augment.flip} for {@code train.augment.flip}. */
    public String relative(Setting<?> s) {
        return path.isEmpty() ? s.key() : s.key().substring(path.length() + 1);
    }
}
