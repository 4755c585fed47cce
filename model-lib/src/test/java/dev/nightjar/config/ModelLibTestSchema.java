package dev.nightjar.config;

import dev.nightjar.model.family.Families;

import java.util.ArrayList;
import java.util.List;

/**
 * The schema {@link Configs#defaults()} gives model-lib's tests: the sections this module declares, the model families'
 * (the application's, with every section, is spark-jobs' ConfigSchema).
 */
public final class ModelLibTestSchema implements SchemaProvider {
    static final Schema SCHEMA = new Schema(sections());

    private static List<Section> sections() {
        List<Section> all = new ArrayList<>(List.of(Configs.SECTION));
        all.addAll(Families.sections());
        return all;
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }
}
