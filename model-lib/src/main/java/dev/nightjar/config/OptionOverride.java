package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;

/**
 * A command-line option that stands for one config key ({@code --seq-len} for
 * {@code prepare.text.seq-len}): given, it is checked by the key's own rule, with an error that
 * names the option, and overrides the key above every config layer.
 *
 * @param value the option's value, or null when it was not given
 */
public record OptionOverride<T>(Setting<T> setting, String option, T value) {

    /** The config with each given option over it; options not given leave their keys as they are. */
    public static Config apply(Config c, OptionOverride<?>... options) {
        Config out = c;
        for (OptionOverride<?> o : options) {
            if (o.value() != null) {
                out = out.withValue(o.setting().key(), ConfigValueFactory.fromAnyRef(o.checked()));
            }
        }
        return out;
    }

    private T checked() {
        return setting.check(value, option);
    }
}
