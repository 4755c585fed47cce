package dev.nightjar.deploy;

import dev.nightjar.demo.FetchSamples;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a fresh machine (empty package lists) {@code mvn -B verify} fetches its samples itself: FetchSamples runs
 * apt-get update when apt-get download failed for want of package lists and the process may (root, or sudo -n).
 */
class FetchSamplesAptTest {
    static final String EMPTY_LISTS = """
            Reading package lists...
            Building dependency tree...
            E: Unable to locate package dataset-fashion-mnist
            """;
    static final String STALE_LISTS = "Err:1 http://deb.debian.org/debian bookworm/main amd64 jargon-text all 4.4.7-1\n"
            + "  404  Not Found [IP: 151.101.2.132 80]\n"
            + "E: Failed to fetch http://deb.debian.org/debian/pool/main/j/jargon-text/jargon-text_4.4.7-1_all.deb  404  Not Found\n";
    static final String OFFLINE = "Err:1 http://deb.debian.org/debian bookworm/main amd64 fortunes all 1:1.99.1-7.3\n"
            + "  Temporary failure resolving 'deb.debian.org'\n"
            + "E: Failed to fetch http://deb.debian.org/debian/pool/main/f/fortune-mod/fortunes_1.99.1-7.3_all.deb  Temporary failure resolving 'deb.debian.org'\n";

    @Test
    void emptyOrStaleListsAreRefreshedByRootOrPasswordlessSudo() {
        for (String out : List.of(EMPTY_LISTS, STALE_LISTS, "E: Package 'x' has no installation candidate\n")) {
            assertTrue(FetchSamples.listsMissing(out), out);
            assertEquals(Optional.of(List.of("apt-get", "update", "-qq")), FetchSamples.aptUpdate(out, true, () -> false));
            assertEquals(Optional.of(List.of("sudo", "-n", "apt-get", "update", "-qq")), FetchSamples.aptUpdate(out, false, () -> true));
            assertEquals(Optional.empty(), FetchSamples.aptUpdate(out, false, () -> false), "no root, no sudo: the clear error stays");
        }
    }

    @Test
    void otherFailuresAreNotUpdates() {
        AtomicInteger sudoAsked = new AtomicInteger();
        for (String out : List.of(OFFLINE, "E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\n", "")) {
            assertFalse(FetchSamples.listsMissing(out), out);
            assertEquals(Optional.empty(), FetchSamples.aptUpdate(out, true, () -> true), out);
            assertEquals(Optional.empty(), FetchSamples.aptUpdate(out, false, () -> sudoAsked.incrementAndGet() > 0), out);
        }
        assertEquals(0, sudoAsked.get(), "sudo is only tried when an update would help");
        assertEquals(Optional.of(List.of("apt-get", "update", "-qq")), FetchSamples.aptUpdate(EMPTY_LISTS, true, () -> {
            sudoAsked.incrementAndGet();
            return true;
        }));
        assertEquals(0, sudoAsked.get(), "root needs no sudo");
    }
}
