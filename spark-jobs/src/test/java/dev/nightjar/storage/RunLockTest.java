package dev.nightjar.storage;

import dev.nightjar.UserException;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SuppressWarnings("try") // locks are held, not used, for a block's duration
class RunLockTest {
    private static final Configuration CONF = new Configuration();
    private static final Duration STALE = Duration.ofMinutes(5);

    @TempDir
    Path run;

    private void writeLock(RunLock.Owner owner, Instant modified) throws Exception {
        Files.createDirectories(run);
        Path lock = run.resolve(RunLock.FILE);
        Files.writeString(lock, Json.write(owner));
        Files.setLastModifiedTime(lock, FileTime.from(modified));
    }

    @Test
    void aSecondJobRefusesNamingTheHolderAndGetsTheLockOnceItIsReleased() {
        RunLock first = RunLock.acquire(run.toString(), CONF, STALE);
        UserException e = assertThrows(UserException.class, () -> RunLock.acquire(run.toString(), CONF, STALE));
        RunLock.Owner me = first.owner();
        assertTrue(e.getMessage().contains("host " + me.host()) && e.getMessage().contains("pid " + me.pid())
                && e.getMessage().contains("started " + me.started()), e.getMessage());
        first.close();
        assertFalse(Files.exists(run.resolve(RunLock.FILE)), "released");
        try (RunLock again = RunLock.acquire(run.toString(), CONF, STALE)) {
            assertTrue(Files.exists(run.resolve(RunLock.FILE)));
        }
    }

    @Test
    void aLockOfADeadProcessOnThisHostIsTakenOver() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        writeLock(new RunLock.Owner(InetAddress.getLocalHost().getHostName(), p.pid(), "2026-01-01T00:00:00Z"), Instant.now());
        try (RunLock lock = RunLock.acquire(run.toString(), CONF, STALE)) {
            assertEquals(ProcessHandle.current().pid(), lock.owner().pid());
            assertEquals(lock.owner(), Json.read(Files.readString(run.resolve(RunLock.FILE)), RunLock.Owner.class));
        }
    }

    @Test
    void anotherHostsLockIsKeptWhileItsHeartbeatIsFreshAndTakenOverWhenItIsNot() throws Exception {
        RunLock.Owner elsewhere = new RunLock.Owner("elsewhere.example", 4242, "2026-01-01T00:00:00Z");
        writeLock(elsewhere, Instant.now().minusSeconds(60));
        UserException e = assertThrows(UserException.class, () -> RunLock.acquire(run.toString(), CONF, STALE));
        assertTrue(e.getMessage().contains("elsewhere.example") && e.getMessage().contains("4242"), e.getMessage());

        writeLock(elsewhere, Instant.now().minus(Duration.ofHours(1)));
        try (RunLock lock = RunLock.acquire(run.toString(), CONF, STALE)) {
            assertEquals(ProcessHandle.current().pid(), lock.owner().pid());
        }
    }

    @Test
    void theHolderRefreshesItsHeartbeat() throws Exception {
        try (RunLock lock = RunLock.acquire(run.toString(), CONF, Duration.ofMillis(400))) {
            Path file = run.resolve(RunLock.FILE);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
            Thread.sleep(600);
            assertTrue(Files.getLastModifiedTime(file).toInstant().isAfter(Instant.now().minusSeconds(5)), "heartbeat");
        }
    }
}
