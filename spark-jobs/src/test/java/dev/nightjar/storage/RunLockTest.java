package dev.nightjar.storage;

import dev.nightjar.UserException;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
        writeLock(new RunLock.Owner(InetAddress.getLocalHost().getHostName(), p.pid(), "2026-01-01T00:00:00Z", "t"), Instant.now());
        try (RunLock lock = RunLock.acquire(run.toString(), CONF, STALE)) {
            assertEquals(ProcessHandle.current().pid(), lock.owner().pid());
            assertEquals(lock.owner(), Json.read(Files.readString(run.resolve(RunLock.FILE)), RunLock.Owner.class));
        }
    }

    @Test
    void anotherHostsLockIsKeptWhileItsHeartbeatIsFreshAndTakenOverWhenItIsNot() throws Exception {
        RunLock.Owner elsewhere = new RunLock.Owner("elsewhere.example", 4242, "2026-01-01T00:00:00Z", "t");
        writeLock(elsewhere, Instant.now().minusSeconds(60));
        UserException e = assertThrows(UserException.class, () -> RunLock.acquire(run.toString(), CONF, STALE));
        assertTrue(e.getMessage().contains("elsewhere.example") && e.getMessage().contains("4242"), e.getMessage());

        writeLock(elsewhere, Instant.now().minus(Duration.ofHours(1)));
        try (RunLock lock = RunLock.acquire(run.toString(), CONF, STALE)) {
            assertEquals(ProcessHandle.current().pid(), lock.owner().pid());
        }
    }

    /** Three JVMs race for a fresh lock, 60 times: each time exactly one wins and the lock file names it. */
    @Test
    void realProcessesRacingForALockExactlyOneWinsEachRound(@TempDir Path base) throws Exception {
        assertOneWinnerEachRound(base, race(base, 3, 60), 60);
    }

    /** Three JVMs race to take over the same stale lock, 30 times: each time exactly one wins. */
    @Test
    void realProcessesRacingToTakeOverAStaleLockExactlyOneWinsEachRound(@TempDir Path base) throws Exception {
        RunLock.Owner gone = new RunLock.Owner("elsewhere.example", 4242, "2026-01-01T00:00:00Z", "t");
        for (int r = 0; r < 30; r++) {
            Path lock = base.resolve("round-" + r).resolve(RunLock.FILE);
            Files.createDirectories(lock.getParent());
            Files.writeString(lock, Json.write(gone));
            Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        }
        assertOneWinnerEachRound(base, race(base, 3, 30), 30);
    }

    private static void assertOneWinnerEachRound(Path base, Map<Integer, List<Long>> winners, int rounds) throws Exception {
        Map<Integer, List<Long>> wrong = new TreeMap<>();
        for (int r = 0; r < rounds; r++) {
            List<Long> won = winners.getOrDefault(r, List.of());
            if (won.size() != 1) {
                wrong.put(r, won);
            }
        }
        assertTrue(wrong.isEmpty(), "rounds without exactly one winner (round=pids that won): " + wrong);
        for (int r = 0; r < rounds; r++) {
            RunLock.Owner holder = Json.read(Files.readString(base.resolve("round-" + r).resolve(RunLock.FILE)), RunLock.Owner.class);
            assertEquals(winners.get(r).get(0), holder.pid(), "round " + r + ": the lock file names the winner");
        }
    }

    /** Starts the contenders, lets them race {@code rounds} times 50 ms apart; the pids that won each round. */
    private static Map<Integer, List<Long>> race(Path base, int contenders, int rounds) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<Process> ps = new ArrayList<>();
        try {
            for (int i = 0; i < contenders; i++) {
                ps.add(new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                        LockContender.class.getName(), base.toString(), String.valueOf(i), String.valueOf(rounds), "50",
                        String.valueOf(contenders))
                        .redirectErrorStream(true).start());
            }
            long deadline = System.nanoTime() + 120_000_000_000L;
            for (int i = 0; i < contenders; i++) {
                while (!Files.exists(base.resolve("ready-" + i))) {
                    assertTrue(System.nanoTime() < deadline && ps.get(i).isAlive(), "contender " + i + " did not start");
                    Thread.sleep(10);
                }
            }
            Path go = base.resolve("go.tmp");
            Files.writeString(go, String.valueOf(System.currentTimeMillis() + 300));
            Files.move(go, base.resolve("go"), StandardCopyOption.ATOMIC_MOVE);
            Map<Integer, List<Long>> winners = new TreeMap<>();
            for (Process p : ps) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS) && out.contains("done"), out);
                for (String line : out.split("\n")) {
                    if (line.matches("round \\d+ won")) {
                        winners.computeIfAbsent(Integer.parseInt(line.split(" ")[1]), k -> new ArrayList<>()).add(p.pid());
                    }
                }
            }
            return winners;
        } finally {
            ps.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void aHolderWhoseLockIsTakenOverStopsBeforeItsNextWrite() throws Exception {
        AtomicInteger stopped = new AtomicInteger();
        try (RunLock lock = RunLock.acquire(run.toString(), CONF, Duration.ofMillis(400))) {
            lock.onLost(stopped::incrementAndGet);
            lock.check(); // held: no error
            // another job takes the directory over (as after a pause longer than the stale timeout)
            writeLock(new RunLock.Owner("elsewhere.example", 4242, "2026-01-01T00:00:00Z", "other"), Instant.now());
            UserException e = assertThrows(UserException.class, lock::check);
            assertTrue(e.getMessage().contains("lost the lock") && e.getMessage().contains("elsewhere.example"), e.getMessage());
            assertEquals(1, stopped.get(), "the job was told to stop");
        }
        assertTrue(Files.exists(run.resolve(RunLock.FILE)), "closing does not remove the new holder's lock");
    }

    @Test
    void aHolderWhoseLockFileIsRemovedStopsAtTheNextHeartbeat() throws Exception {
        AtomicInteger stopped = new AtomicInteger();
        try (RunLock lock = RunLock.acquire(run.toString(), CONF, Duration.ofMillis(400))) {
            lock.onLost(stopped::incrementAndGet);
            Files.delete(run.resolve(RunLock.FILE));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (stopped.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, stopped.get(), "the heartbeat noticed the lock is gone");
            assertTrue(lock.lostError().getMessage().contains("gone"), lock.lostError().getMessage());
            assertThrows(UserException.class, lock::check);
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
