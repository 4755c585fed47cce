package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.nightjar.UserException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingTest {
    private static final Setting<Integer> EPOCHS = Setting.intIn("t.epochs", 1, 1, 100, "Epochs.");
    private static final Setting<Integer> MAX = Setting.intIn("t.max", 0, 0, Integer.MAX_VALUE, "At least 0.");
    private static final Setting<Double> DROPOUT = Setting.doubleIn("t.dropout", 0.0, 0, 0.95, "Dropout.");
    private static final Setting<String> ARCH = Setting.oneOf("t.arch", "lenet", List.of("lenet", "convnet"), "Architecture.");
    private static final Setting<List<Integer>> TWO = Setting.positiveInts("t.two", List.of(20, 50), "Two filters.")
            .where(l -> l.size() == 2, "a list of exactly 2 positive integers");

    private static String error(Setting<?> s, String hocon) {
        Config c = ConfigFactory.parseString(hocon);
        return assertThrows(UserException.class, () -> s.get(c)).getMessage();
    }

    @Test
    void readsValidValues() {
        Config c = ConfigFactory.parseString("t { epochs = 7, dropout = 0.5, arch = convnet, two = [1, 2], max = 2147483647 }");
        assertEquals(7, EPOCHS.get(c));
        assertEquals(0.5, DROPOUT.get(c));
        assertEquals("convnet", ARCH.get(c));
        assertEquals(List.of(1, 2), TWO.get(c));
        assertEquals(Integer.MAX_VALUE, MAX.get(c));
    }

    @Test
    void errorsNameTheKeyAndWhatIsExpected() {
        assertEquals("config key 't.epochs' must be in [1, 100], got 0", error(EPOCHS, "t.epochs = 0"));
        assertEquals("config key 't.epochs' must be an integer in [1, 100], got \"many\"", error(EPOCHS, "t.epochs = many"));
        assertEquals("config key 't.epochs' is missing", error(EPOCHS, "t.other = 1"));
        assertEquals("config key 't.max' must be >= 0, got -1", error(MAX, "t.max = -1"));
        assertEquals("config key 't.max' must be an integer >= 0, got 3000000000", error(MAX, "t.max = 3000000000"));
        assertEquals("config key 't.dropout' must be in [0, 0.95], got 1.5", error(DROPOUT, "t.dropout = 1.5"));
        assertTrue(error(DROPOUT, "t.dropout = high").startsWith("config key 't.dropout' must be a number in [0, 0.95], got "));
        assertEquals("config key 't.arch' must be one of lenet|convnet, got 'resnet'", error(ARCH, "t.arch = resnet"));
        assertEquals("config key 't.two' must be a non-empty list of positive integers, got [1, 0]", error(TWO, "t.two = [1, 0]"));
        assertEquals("config key 't.two' must be a list of exactly 2 positive integers, got [1]", error(TWO, "t.two = [1]"));
    }

    @Test
    void describesItselfForTheDocs() {
        assertEquals("an integer in [1, 100]", EPOCHS.expected());
        assertEquals("an integer >= 0", MAX.expected());
        assertEquals("a number in [0, 0.95]", DROPOUT.expected());
        assertEquals("one of lenet|convnet", ARCH.expected());
        assertEquals("a list of exactly 2 positive integers", TWO.expected());
        assertEquals("0.0", DROPOUT.hoconDefault());
        assertEquals("[20, 50]", TWO.hoconDefault());
        assertEquals("0.0001", Setting.doubleIn("t.l2", 0.0001, 0, 1, "L2.").hoconDefault());
        assertEquals("\"\"", Setting.string("t.label", "", "A label.").hoconDefault());
        assertEquals("\"true\"", Setting.string("t.word", "true", "A word.").hoconDefault());
        assertEquals("an integer", Setting.longIn("t.seed", 42, Long.MIN_VALUE, Long.MAX_VALUE, "Seed.").expected());
    }

    @Test
    void checksAValueFromTheCommandLineByTheSameRule() {
        assertEquals(0.5, DROPOUT.check(0.5, "--dropout"));
        UserException e = assertThrows(UserException.class, () -> DROPOUT.check(2.0, "--dropout"));
        assertEquals("--dropout must be in [0, 0.95], got 2.0", e.getMessage());
        Config c = ConfigFactory.parseString("t.dropout = 0.25");
        assertEquals(0.25, DROPOUT.getOr(c, null, "--dropout"));
        assertEquals(0.75, DROPOUT.getOr(c, 0.75, "--dropout"));
    }

    @Test
    void aBadDeclarationFailsAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> Setting.intIn("t.x", 0, 1, 10, "Default out of range."));
        assertThrows(IllegalArgumentException.class, () -> Setting.intIn("T.X", 1, 1, 10, "Bad key."));
        assertThrows(IllegalArgumentException.class, () -> Setting.intIn("t.x", 1, 1, 10, " "));
    }
}
