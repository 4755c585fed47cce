package dev.nightjar.model.family;

import com.typesafe.config.Config;
import dev.nightjar.model.ModelBundle;

/**
 * What a family is given to set up a run.
 *
 * @param config     the resolved config (the family reads its own sections)
 * @param data       the dataset it trains on
 * @param epochs     epochs planned (schedules such as cosine need them)
 * @param initFrom   the bundle to warm-start from ({@code --init-from}), or null
 * @param initFromRef how the user named it, for messages and provenance (null with no warm start)
 */
public record SetupContext(Config config, DatasetInfo data, int epochs, ModelBundle initFrom, String initFromRef) {
}
