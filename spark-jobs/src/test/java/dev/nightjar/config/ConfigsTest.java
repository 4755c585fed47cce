package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.nightjar.UserException;
import dev.nightjar.model.ImageModelConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigsTest {
    private static final Path CONF = Path.of("..", "conf");

    @Test
    void everyFileInConfParsesAgainstTheDefaults() throws IOException {
        int files = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(CONF, "*.conf")) {
            for (Path f : dir) {
                if (f.getFileName().toString().equals("yarn.conf")) {
                    continue; // Spark settings in spark-defaults format for the launcher, not a job file (LauncherTest)
                }
                Config c = Configs.layered(Configs.defaults(), Configs.parseJobFile(f.toString()));
                ImageModelConfig.from(c);
                files++;
            }
        }
        assertTrue(files >= 2, "expected defaults.conf and fashion-cnn.conf in conf/");
    }

    @Test
    void layersApplyInOrder() {
        Config job = ConfigFactory.parseString("model.learning-rate = 0.01\ntrain.epochs = 3");
        Config c = Configs.layered(Configs.defaults(), job, Configs.parseOverrides(List.of("train.epochs=7")));
        assertEquals(0.01, c.getDouble("model.learning-rate"));
        assertEquals(7, c.getInt("train.epochs"));
        assertEquals(Configs.defaults().getInt("train.workers"), c.getInt("train.workers"));
    }

    @Test
    void roundTripThroughRenderGivesTheSameTypedConfig() {
        Config c = Configs.layered(Configs.defaults(), Configs.parseJobFile("classpath:fashion-cnn.conf"));
        Config again = Configs.layered(Configs.defaults(), ConfigFactory.parseString(c.root().render()));
        assertEquals(ImageModelConfig.from(c), ImageModelConfig.from(again));
    }

    @Test
    void unknownKeyIsNamedWithItsSiblings() {
        UserException e = assertThrows(UserException.class,
                () -> Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("train.epoch=3"))));
        assertTrue(e.getMessage().contains("unknown config key 'train.epoch'"), e.getMessage());
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
    }

    @Test
    void badValueNamesTheKeyAndWhatIsExpected() {
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("model.architecture=resnet")));
        UserException e = assertThrows(UserException.class, () -> ImageModelConfig.from(c));
        assertTrue(e.getMessage().contains("'model.architecture'") && e.getMessage().contains("lenet|convnet"), e.getMessage());

        Config c2 = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("model.learning-rate=fast")));
        UserException e2 = assertThrows(UserException.class, () -> ImageModelConfig.from(c2));
        assertTrue(e2.getMessage().contains("'model.learning-rate' must be a number"), e2.getMessage());

        Config c3 = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("model.dropout=1.5")));
        UserException e3 = assertThrows(UserException.class, () -> ImageModelConfig.from(c3));
        assertTrue(e3.getMessage().contains("'model.dropout' must be in"), e3.getMessage());
    }

    @Test
    void malformedSetAndMissingFileAreUserErrors() {
        assertThrows(UserException.class, () -> Configs.parseOverrides(List.of("train.epochs")));
        UserException e = assertThrows(UserException.class, () -> Configs.parseJobFile("no/such/file.conf"));
        assertTrue(e.getMessage().contains("no/such/file.conf"));
    }
}
