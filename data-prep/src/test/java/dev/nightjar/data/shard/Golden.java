package dev.nightjar.data.shard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compares bytes with a checked-in file under src/test/resources/golden/, or rewrites it with -Dgolden.update=true. */
final class Golden {
    private Golden() {
    }

    /** @return the golden file (rewritten from {@code actual} under -Dgolden.update=true) */
    static Path check(Class<?> test, String file, byte[] actual) throws IOException {
        Path golden = Path.of(System.getProperty("basedir", "."), "src/test/resources/golden", file);
        String regen = "mvn -B -o -pl data-prep -Dtest=" + test.getSimpleName() + " -Dgolden.update=true test";
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.write(golden, actual);
        }
        assertTrue(Files.isRegularFile(golden), golden + " is missing; write it with: " + regen);
        // hex, 16 bytes a line, so a failure shows which bytes moved
        assertEquals(hex(Files.readAllBytes(golden)), hex(actual), "golden file " + golden
                + " differs from what the code writes; if the format change is intended, regenerate it with: " + regen + " and review the diff");
        return golden;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i += 16) {
            sb.append(String.format("%04x  ", i)).append(HexFormat.ofDelimiter(" ").formatHex(b, i, Math.min(b.length, i + 16))).append('\n');
        }
        return sb.toString();
    }
}
