package dev.nightjar.storage;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The lock of a directory (local or {@code hdfs://}) while a job writes to it: a file created only if
 * absent, in one atomic step ({@link LockFile}), naming the host, pid, start time and a random token of
 * its owner. The owner refreshes its modification time (the heartbeat) every quarter of
 * {@code staleAfter}. A second job refuses with the owner's details.
 *
 * <p>A lock is stale when its owner ran on this host and its process is gone, or when its heartbeat is
 * older than {@code staleAfter}. Taking it over is fenced: only the job that creates the takeover file
 * {@code LOCK.takeover} (again only if absent) may remove a stale lock, and it first checks, holding
 * that file, that the lock is still the very file it judged stale. The lock itself is then created
 * only if absent, as always. So two contenders never both win.
 *
 * <p>The holder checks at each heartbeat that the file is still there with its token. When it is gone,
 * holds another token, or the heartbeat has failed for half of {@code staleAfter} (after which another
 * job may take over), the lock is lost: {@link #check} throws, and the listeners given to
 * {@link #onLost} run (a job stops its Spark work), so no more outputs are written.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".nightjar.lock";
    /** {@code train.lock-stale-seconds}'s default, for jobs without a train config (prepare, score, the registry). */
    public static final Duration DEFAULT_STALE = Duration.ofSeconds(300);
    private static final int ATTEMPTS = 50;
    private static final String TAKEOVER = ".takeover";
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

    /** Who holds a lock; {@code token} is unique to one acquisition (null in locks written before it existed). */
    public record Owner(String host, long pid, String started, String token) {
        static Owner me() {
            return new Owner(hostName(), ProcessHandle.current().pid(), Instant.now().toString(), UUID.randomUUID().toString());
        }
    }

    /** The lock is held by a live job: the caller may wait and try again. */
    public static final class Held extends UserException {
        private static final long serialVersionUID = 1L;

        Held(String message) {
            super(message);
        }
    }

    private final LockFile files;
    private final Path path;
    private final String dir;
    private final Owner owner;
    private final Duration staleAfter;
    private final ScheduledExecutorService heartbeat;
    private final List<Runnable> lostListeners = new CopyOnWriteArrayList<>();
    private volatile long lastBeat = System.currentTimeMillis();
    private volatile String lost;

    private RunLock(LockFile files, Path path, String dir, Owner owner, Duration staleAfter) {
        this.files = files;
        this.path = path;
        this.dir = dir;
        this.owner = owner;
        this.staleAfter = staleAfter;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nightjar-run-lock");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, staleAfter.toMillis() / 4);
        heartbeat.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Takes the lock of {@code runDir} (created if missing), or fails naming who holds it. */
    public static RunLock acquire(String runDir, Configuration conf, Duration staleAfter) {
        return acquire(runDir, FILE, conf, staleAfter);
    }

    /**
     * Takes the lock of a directory that is published whole by a rename ({@code prepare}'s dataset,
     * {@code score}'s output): the lock file is its sibling {@code .NAME.nightjar.lock}, which the rename
     * leaves in place. The parent directory is created if missing.
     */
    public static RunLock acquireForPublished(String outputDir, Configuration conf, Duration staleAfter) {
        Path out = new Path(HadoopFiles.qualify(outputDir, conf));
        return acquire(out.getParent().toString(), "." + out.getName() + FILE, conf, staleAfter);
    }

    /**
     * Runs a job that writes {@code outputDir} and publishes it whole by a rename ({@code prepare},
     * {@code score}) while holding its lock ({@link #acquireForPublished}, stale after {@link #DEFAULT_STALE}):
     * a second job writing the same output refuses, naming the first.
     */
    @SuppressWarnings("try") // the lock is held, not used, for the body's duration
    public static <T> T whilePublishing(String outputDir, Configuration conf, java.util.function.Supplier<T> job) {
        try (RunLock lock = acquireForPublished(outputDir, conf, DEFAULT_STALE)) {
            return job.get();
        }
    }

    /** Like {@link #acquire} but waits up to {@code wait} while a live job holds the lock (short critical sections). */
    public static RunLock acquireWaiting(String dir, Configuration conf, Duration staleAfter, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return acquire(dir, conf, staleAfter);
            } catch (Held e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(5 + ThreadLocalRandom.current().nextInt(20));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static RunLock acquire(String dirUri, String fileName, Configuration conf, Duration staleAfter) {
        FileSystem fs = HadoopFiles.fs(dirUri, conf);
        LockFile files = new LockFile(fs, conf);
        Path dir = new Path(dirUri);
        Path path = new Path(dir, fileName);
        Owner me = Owner.me();
        byte[] mine = (Json.write(me) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            fs.mkdirs(dir);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                if (files.createExclusive(path, mine)) {
                    return new RunLock(files, path, dirUri, me, staleAfter);
                }
                Snapshot seen = Snapshot.of(files, path);
                if (seen == null) {
                    continue; // released meanwhile: try to create it again
                }
                String why = staleReason(seen.owner(), System.currentTimeMillis() - seen.modified(), staleAfter);
                if (why == null) {
                    throw new Held("directory " + dirUri + " is locked by " + describe(seen.owner()) + " (" + path
                            + "); wait for that job, or remove the lock file if it is surely dead");
                }
                if (takeOver(files, path, seen, mine, staleAfter)) {
                    LOG.warn("took over the lock of {} from {}: {}", dirUri, describe(seen.owner()), why);
                }
                // whether or not this job removed the stale file, the next create decides who holds the lock
            }
            throw new Held("directory " + dirUri + " is contended by several jobs taking over its stale lock at once (" + path + "); try again");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dirUri, e);
        }
    }

    /** A lock file as read at one moment: its bytes, and the file they were read from with its modification time. */
    private record Snapshot(byte[] bytes, LockFile.Stat stat) {
        /**
         * The file now, or null when it is gone. The bytes count only when the file is the same, unchanged,
         * before and after they are read; a file replaced or refreshed meanwhile is read again.
         */
        static Snapshot of(LockFile files, Path path) throws IOException {
            try {
                LockFile.Stat before = files.stat(path);
                while (true) {
                    byte[] bytes = files.read(path);
                    LockFile.Stat after = files.stat(path);
                    if (after.equals(before)) {
                        return new Snapshot(bytes, before);
                    }
                    before = after;
                }
            } catch (FileNotFoundException gone) {
                return null;
            }
        }

        Owner owner() {
            return parse(bytes);
        }

        long modified() {
            return stat.modified();
        }

        boolean same(Snapshot other) {
            return other != null && stat.equals(other.stat) && Arrays.equals(bytes, other.bytes);
        }
    }

    /**
     * Removes the stale lock {@code judged}, fenced by the takeover file: only its creator may remove the
     * lock, and only when the lock is still the file judged stale. A takeover file left by a contender that
     * died is itself stale by the same rules and removed.
     *
     * @return whether this job removed the stale lock
     */
    private static boolean takeOver(LockFile files, Path path, Snapshot judged, byte[] mine, Duration staleAfter) throws IOException {
        Path fence = new Path(path.getParent(), path.getName() + TAKEOVER);
        if (!files.createExclusive(fence, mine)) {
            Snapshot other = Snapshot.of(files, fence);
            if (other != null && staleReason(other.owner(), System.currentTimeMillis() - other.modified(), staleAfter) != null) {
                removeIfUnchanged(files, fence, other);
            } else {
                pause(); // another contender is taking over: look again in a moment
            }
            return false;
        }
        try {
            Snapshot now = Snapshot.of(files, path);
            return judged.same(now) && removeIfUnchanged(files, path, now);
        } finally {
            Snapshot f = Snapshot.of(files, fence);
            if (f != null && Arrays.equals(f.bytes(), mine)) {
                files.delete(fence);
            }
        }
    }

    /**
     * Removes a file only if it is still {@code judged}: renamed to a name of this job's own (only one
     * renamer succeeds), compared, and put back (only if absent) when it turns out to be another file.
     */
    private static boolean removeIfUnchanged(LockFile files, Path path, Snapshot judged) throws IOException {
        Path aside = new Path(path.getParent(), path.getName() + ".stale-" + UUID.randomUUID());
        if (!files.moveAside(path, aside)) {
            return false; // another process moved or removed it first
        }
        Snapshot moved = Snapshot.of(files, aside);
        if (judged.same(moved)) {
            files.delete(aside);
            return true;
        }
        if (!files.renameIfAbsent(aside, path)) {
            files.delete(aside); // its owner finds its lock gone at its next check and stops
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(10 + ThreadLocalRandom.current().nextInt(40));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why a lock is stale, or null when its owner may be alive. */
    static String staleReason(Owner holder, long ageMillis, Duration staleAfter) {
        if (holder != null && holder.host().equals(hostName()) && ProcessHandle.of(holder.pid()).isEmpty()) {
            return "its process " + holder.pid() + " on this host is gone";
        }
        if (ageMillis > staleAfter.toMillis()) {
            return "no heartbeat for " + Duration.ofMillis(ageMillis).toSeconds() + " s";
        }
        return null;
    }

    /** The owner recorded in a lock file, or null when it cannot be parsed (half written, corrupt). */
    private static Owner parse(byte[] content) {
        try {
            return Json.read(new String(content, StandardCharsets.UTF_8), Owner.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String describe(Owner o) {
        return o == null ? "an unknown job (unreadable lock file)" : "host " + o.host() + ", pid " + o.pid() + ", started " + o.started();
    }

    public Owner owner() {
        return owner;
    }

    /** Runs {@code listener} once, on the heartbeat thread, when the lock is found lost (at once if it is already). */
    public synchronized void onLost(Runnable listener) {
        lostListeners.add(listener);
        if (lost != null) {
            listener.run();
        }
    }

    /** The error {@link #check} throws once the lock is lost, or null while it is held. */
    public UserException lostError() {
        return lost == null ? null : new UserException("lost the lock of " + dir + " (" + path + "): " + lost
                + "; this job stopped before writing more (another job may own the directory now)");
    }

    /**
     * Before writing an output: verifies that the lock file is still this job's.
     *
     * @throws UserException when the lock is lost: the job must stop
     */
    public void check() {
        if (lost == null) {
            verify();
        }
        if (lost != null) {
            throw lostError();
        }
    }

    /** One heartbeat: the file must still be this job's; then its time is refreshed. */
    private void beat() {
        if (lost != null || !verify()) {
            return;
        }
        try {
            files.touch(path, System.currentTimeMillis());
            lastBeat = System.currentTimeMillis();
        } catch (IOException e) {
            failedBeat(e);
        }
    }

    /** Whether the lock file still holds this job's token; marks the lock lost when it does not. */
    private boolean verify() {
        try {
            Owner now = parse(files.read(path));
            if (now == null || !Objects.equals(owner.token(), now.token())) {
                lose("the lock file now names " + describe(now));
                return false;
            }
            return true;
        } catch (FileNotFoundException e) {
            lose("the lock file is gone");
            return false;
        } catch (IOException e) {
            failedBeat(e);
            return lost == null;
        }
    }

    private void failedBeat(IOException e) {
        long since = System.currentTimeMillis() - lastBeat;
        LOG.warn("cannot refresh the lock {} ({} ms since the last heartbeat): {}", path, since, e.getMessage());
        if (since > staleAfter.toMillis() / 2) {
            lose("its heartbeat has failed for " + since / 1000 + " s (" + e.getMessage() + "), so another job may take it over");
        }
    }

    private synchronized void lose(String why) {
        if (lost != null) {
            return;
        }
        lost = why;
        LOG.error("lost the lock of {}: {}; stopping", dir, why);
        for (Runnable r : lostListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("stopping after the lock was lost: {}", e.toString());
            }
        }
    }

    /** Releases the lock if it is still this job's. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            Owner now = parse(files.read(path));
            if (now != null && Objects.equals(owner.token(), now.token())) {
                files.delete(path);
            }
        } catch (FileNotFoundException e) {
            // already gone
        } catch (IOException e) {
            LOG.warn("cannot remove the lock {}: {}", path, e.getMessage());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
