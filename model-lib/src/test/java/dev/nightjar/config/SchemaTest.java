package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.nightjar.UserException;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaTest {
    private static final Setting<Integer> EPOCHS = Setting.intIn("train.epochs", 1, 1, 100, "Passes over the data.");
    private static final Setting<Boolean> FLIP = Setting.bool("train.augment.flip", true, "Random horizontal flip.");
    private static final Setting<Integer> PAD = Setting.intIn("train.augment.crop-padding", 2, 0, 64, "Padding before a random crop.");
    private static final Section TRAIN = new Section("train", "training", "How training runs.", SchemaTest.class, EPOCHS, FLIP, PAD);
    private static final Schema SCHEMA = Schema.of(Configs.SECTION, TRAIN);

    @Test
    void defaultsComeFromTheDeclarations() {
        Config d = SCHEMA.defaults();
        assertEquals(42, d.getLong("seed"));
        assertEquals(1, d.getInt("train.epochs"));
        assertTrue(d.getBoolean("train.augment.flip"));
        assertEquals(List.of("seed", "train.augment.crop-padding", "train.augment.flip", "train.epochs"), List.copyOf(SCHEMA.keys()));
    }

    @Test
    void layersApplyInOrderAndUnknownKeysFailWithTheirSiblings() {
        Config c = SCHEMA.resolve(ConfigFactory.parseString("train.epochs = 3\nseed = 7"), Configs.parseOverrides(List.of("train.epochs=5")));
        assertEquals(5, EPOCHS.get(c));
        assertEquals(7L, Configs.SEED.get(c));
        assertEquals(2, PAD.get(c));
        UserException e = assertThrows(UserException.class, () -> SCHEMA.resolve(Configs.parseOverrides(List.of("train.augment.flop=1"))));
        assertEquals("unknown config key 'train.augment.flop' (known keys under train.augment: crop-padding, flip)", e.getMessage());
        UserException top = assertThrows(UserException.class, () -> SCHEMA.requireKnown(ConfigFactory.parseString("sed = 1")));
        assertTrue(top.getMessage().contains("'sed'") && top.getMessage().contains("seed"), top.getMessage());
        UserException bad = assertThrows(UserException.class, () -> SCHEMA.validate(SCHEMA.resolve(ConfigFactory.parseString("train.epochs = 0"))));
        assertTrue(bad.getMessage().contains("'train.epochs' must be in [1, 100]"), bad.getMessage());
    }

    @Test
    void aKeyDeclaredTwiceOrInsideAnotherFailsAtConstruction() {
        Section again = new Section("train", "again", "Again.", String.class, Setting.intIn("train.epochs", 2, 1, 9, "Again."));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schema.of(TRAIN, again));
        assertTrue(e.getMessage().contains("'train.epochs' is declared twice") && e.getMessage().contains("java.lang.String"), e.getMessage());
        Section parent = new Section("train", "parent", "Parent.", String.class, Setting.bool("train.augment", false, "Parent."));
        assertThrows(IllegalArgumentException.class, () -> Schema.of(TRAIN, parent));
        assertThrows(IllegalArgumentException.class, () -> new Section("model", "x", "X.", String.class, EPOCHS));
    }

    @Test
    void defaultsConfIsHoconThatParsesBackToTheDefaults() {
        Schema s = Schema.of(Configs.SECTION, Optimizer.SECTION, ImageModelConfig.SECTION, TRAIN);
        String conf = s.defaultsConf(List.of("GENERATED", ""));
        assertTrue(conf.startsWith("# GENERATED\n#\n"), conf);
        assertTrue(conf.contains("train {\n  # Passes over the data.\n  epochs = 1\n  augment {\n    # Random horizontal flip.\n    flip = true\n"), conf);
        assertTrue(conf.contains("\nseed = 42\n") && conf.contains("  l2 = 0.0001\n") && conf.contains("  lenet-filters = [20, 50]\n"), conf);
        Config back = ConfigFactory.parseString(conf).resolve();
        for (Setting<?> setting : s.settings().values()) {
            assertEquals(setting.get(s.defaults()), setting.get(back), setting.key());
        }
        assertEquals(s.keys(), Schema.of(Configs.SECTION, Optimizer.SECTION, ImageModelConfig.SECTION, TRAIN).keys());
        assertTrue(conf.lines().allMatch(l -> l.length() <= 110), conf);
    }

    @Test
    void renderShowsResolvedValuesAndTheirDefaults() {
        String out = SCHEMA.render(SCHEMA.resolve(ConfigFactory.parseString("train.epochs = 3")), List.of());
        assertTrue(out.contains("  epochs = 3  # default: 1\n"), out);
        assertTrue(out.contains("    flip = true\n"), out);
    }

    @Test
    void markdownListsEveryKeyWithDefaultExpectedAndDoc() {
        String md = SCHEMA.markdown(List.of("# Configuration"));
        assertTrue(md.contains("## `train`: training\n"), md);
        assertTrue(md.contains("- `train.epochs` = `1` (an integer in [1, 100]). Passes over the data.\n"), md);
        assertTrue(md.contains("Declared in `dev.nightjar.config.SchemaTest`."), md);
        assertTrue(md.lines().allMatch(l -> l.length() <= 100), md);
    }

    @Test
    void markdownNeverStartsALineWithAListMarkerOrHeading() {
        String text = "x".repeat(95) + " - y = z # w 1. v";
        List<String> lines = Schema.markdownWrap(text, 98);
        assertTrue(lines.stream().skip(1).noneMatch(l -> l.matches("([-+*=#>|]|\\d+[.)]) .*")), lines.toString());
        assertEquals(List.of("aa bb", "cc"), Schema.wrap("aa bb cc", 5));
    }
}
