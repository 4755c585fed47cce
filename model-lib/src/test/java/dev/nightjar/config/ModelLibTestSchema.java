package dev.nightjar.config;

import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.LanguageModelConfig;
import dev.nightjar.model.Optimizer;
import dev.nightjar.model.PendingFamilyKeys;
import dev.nightjar.model.TextClassifierConfig;

/**
 * The schema {@link Configs#defaults()} gives model-lib's tests: the sections this module declares
 * (the application's, with every section, is spark-jobs' ConfigSchema).
 */
public final class ModelLibTestSchema implements SchemaProvider {
    static final Schema SCHEMA = Schema.of(Configs.SECTION, Optimizer.SECTION, ImageModelConfig.SECTION, LanguageModelConfig.SECTION,
            TextClassifierConfig.SECTION, PendingFamilyKeys.SECTION);

    @Override
    public Schema schema() {
        return SCHEMA;
    }
}
