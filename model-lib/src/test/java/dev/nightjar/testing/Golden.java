package dev.nightjar.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden files: what the code writes for fixed inputs, compared with a checked-in file under the module's
 * {@code src/test/resources/golden/}, or rewritten with {@code -Dgolden.update=true}. Shared with data-prep's
 * and spark-jobs' tests through model-lib's test jar.
 */
public final class Golden {
    private Golden() {
    }

    /** Text (JSON): compared line by line. */
    public static Path check(Class<?> test, String file, String actual) throws IOException {
        return check(test, file, actual.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Binary: compared as a hex dump, 16 bytes a line, so a failure shows which bytes moved. */
    public static Path check(Class<?> test, String file, byte[] actual) throws IOException {
        return check(test, file, actual, true);
    }

    private static Path check(Class<?> test, String file, byte[] actual, boolean binary) throws IOException {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path golden = module.resolve("src/test/resources/golden").resolve(file);
        String regen = "mvn -B -o -q install -DskipTests && mvn -B -o -pl " + module.getFileName() + " -Dtest=" + test.getSimpleName()
                + " -Dgolden.update=true test";
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.write(golden, actual);
        }
        assertTrue(Files.isRegularFile(golden), golden + " is missing; write it with: " + regen);
        byte[] expected = Files.readAllBytes(golden);
        assertEquals(binary ? hex(expected) : new String(expected, StandardCharsets.UTF_8),
                binary ? hex(actual) : new String(actual, StandardCharsets.UTF_8),
                "golden file " + golden + " differs from what the code writes; if the change is intended, regenerate it with: "
                        + regen + " and review the diff");
        return golden;
    }

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i += 16) {
            sb.append(String.format("%04x  ", i)).append(HexFormat.ofDelimiter(" ").formatHex(b, i, Math.min(b.length, i + 16))).append('\n');
        }
        return sb.toString();
    }
}
