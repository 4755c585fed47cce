package dev.nightjar.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compares text with a checked-in file under src/test/resources/golden/, or rewrites it with -Dgolden.update=true. */
final class Golden {
    private Golden() {
    }

    static void check(Class<?> test, String file, String actual) throws IOException {
        Path golden = Path.of(System.getProperty("basedir", "."), "src/test/resources/golden", file);
        String regen = "mvn -B -o -pl model-lib -Dtest=" + test.getSimpleName() + " -Dgolden.update=true test";
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.isRegularFile(golden), golden + " is missing; write it with: " + regen);
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, "golden file " + golden
                + " differs from what the code writes; if the format change is intended, regenerate it with: " + regen + " and review the diff");
    }
}
