package dev.nightjar.cli;

import dev.nightjar.config.Configs;
import dev.nightjar.config.Schema;
import dev.nightjar.config.SchemaProvider;
import dev.nightjar.config.Section;
import dev.nightjar.data.image.ImagePrepConfig;
import dev.nightjar.data.text.ClassificationPrepConfig;
import dev.nightjar.data.text.TextPrepConfig;
import dev.nightjar.demo.SentimentDemoConfig;
import dev.nightjar.demo.TransferDemoConfig;
import dev.nightjar.jobs.CompareConfig;
import dev.nightjar.jobs.GateConfig;
import dev.nightjar.jobs.PretrainVectorsConfig;
import dev.nightjar.model.family.Families;
import dev.nightjar.score.ScoreConfig;
import dev.nightjar.train.TrainConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application's config schema: every section, each declared by the component that reads it,
 * in the order {@code conf/defaults.conf} and {@code docs/configuration.md} show them. The CLI
 * layers user config over {@link #SCHEMA}; {@code Configs.defaults()} finds it through
 * {@code META-INF/services/dev.nightjar.config.SchemaProvider}. Both generated files are checked
 * against it by a test; {@link #REGENERATE} rewrites them.
 */
public final class ConfigSchema implements SchemaProvider {
    /** Rewrites the generated files; run in the repository root. */
    public static final String REGENERATE = "deploy/nightjar config --write-docs";
    public static final Path DEFAULTS_CONF = Path.of("conf", "defaults.conf");
    public static final Path REFERENCE = Path.of("docs", "configuration.md");

    /** Every section, in display order. */
    public static final Schema SCHEMA = new Schema(sections());

    private static List<Section> sections() {
        List<Section> all = new ArrayList<>();
        all.add(Configs.SECTION);
        all.addAll(Families.sections()); // each model family contributes its own
        all.addAll(List.of(
                TrainConfig.SECTION,
                ImagePrepConfig.SECTION,
                TextPrepConfig.SECTION,
                ClassificationPrepConfig.SECTION,
                PretrainVectorsConfig.SECTION,
                ScoreConfig.SECTION,
                GateConfig.SECTION,
                CompareConfig.SECTION,
                SentimentDemoConfig.SECTION,
                TransferDemoConfig.SECTION));
        return all;
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    /** The generated files, by path relative to the repository root, with their content. */
    public static Map<Path, String> generated() {
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(DEFAULTS_CONF, SCHEMA.defaultsConf(List.of(
                "Nightjar config defaults: every key a job file (--config FILE) or --set key=value may change, with its default.",
                "GENERATED from the Setting declarations in the code; do not edit. Regenerate in the repository root with:",
                "  " + REGENERATE,
                "Layering: these defaults < the job file < --set key=value. A key not listed here fails, naming the key.",
                "nightjar config [--config FILE] [--set key=value] prints the resolved config; the reference is " + REFERENCE + ".")));
        files.put(REFERENCE, SCHEMA.markdown(List.of(
                "# Configuration reference",
                "",
                "<!-- GENERATED from the Setting declarations in the code by `" + REGENERATE + "`",
                "     (in the repository root); do not edit. A test fails when this file differs. -->",
                "",
                "Nightjar's config is HOCON in three layers: the defaults below < the job file (`--config FILE`, or",
                "`classpath:NAME` for a bundled one such as `classpath:fashion-cnn.conf`) < `--set key=value`",
                "(repeatable; values are HOCON, so `--set model.lm.lstm-sizes=[512,512]` works). A key that is not",
                "listed here fails with its name and the known keys beside it, and a bad value fails naming the key",
                "and what it expects; both exit with code 2.",
                "",
                "`nightjar config [--config FILE] [--set key=value]` prints the resolved, validated config.",
                "`" + DEFAULTS_CONF + "` holds the same defaults as HOCON, with these docs as comments.",
                "",
                "Each key is declared once, as a `Setting` of the component that reads it; a section lists one",
                "component's keys. Each entry reads: key = default (what is expected). What it does.")));
        return files;
    }

    /** For {@link java.util.ServiceLoader}; use {@link #SCHEMA}. */
    public ConfigSchema() {
    }
}
