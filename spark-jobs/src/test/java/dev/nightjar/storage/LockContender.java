package dev.nightjar.storage;

import org.apache.hadoop.conf.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate JVM that races other copies of itself for run locks: for each round it waits for the
 * round's start time (the same wall-clock instant in every copy), tries to take the lock of
 * {@code BASE/round-R} once, and prints {@code round R won} or {@code round R refused}. It keeps every
 * lock it won until every contender has finished its last round: a lock whose owner exited is stale (its
 * process is gone), so a straggler still in that round would take it over legitimately.
 *
 * <p>Arguments: base directory, contender id, rounds, milliseconds between rounds, contenders. It warms
 * up on a private directory, writes {@code BASE/ready-ID}, and waits for {@code BASE/go}, which holds the
 * first round's start time in epoch milliseconds. After its last round it writes {@code BASE/done-ID}
 * and waits for every contender's.
 */
public final class LockContender {
    private LockContender() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Paths.get(args[0]);
        String id = args[1];
        int rounds = Integer.parseInt(args[2]);
        long period = Long.parseLong(args[3]);
        int contenders = Integer.parseInt(args[4]);
        Configuration conf = new Configuration();
        Duration stale = Duration.ofMinutes(5);
        RunLock.acquire(base.resolve("warm-" + id).toString(), conf, stale).close();
        Files.writeString(base.resolve("ready-" + id), "ready");
        Path go = base.resolve("go");
        while (!Files.exists(go) || Files.size(go) == 0) {
            Thread.sleep(2);
        }
        long start = Long.parseLong(Files.readString(go).trim());
        List<RunLock> held = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rounds; r++) {
            long at = start + r * period;
            while (System.currentTimeMillis() < at) {
                Thread.onSpinWait();
            }
            try {
                held.add(RunLock.acquire(base.resolve("round-" + r).toString(), conf, stale));
                out.append("round ").append(r).append(" won\n");
            } catch (dev.nightjar.UserException e) {
                out.append("round ").append(r).append(" refused\n");
            } catch (RuntimeException e) {
                out.append("round ").append(r).append(" refused ").append(e).append('\n');
            }
        }
        Files.writeString(base.resolve("done-" + id), "done");
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; i < contenders && System.nanoTime() < deadline; i++) {
            while (!Files.exists(base.resolve("done-" + i)) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        System.out.print(out);
        System.out.println("done");
        System.out.flush();
        System.exit(0);
    }
}
