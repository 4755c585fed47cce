package dev.nightjar.storage;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lock of a run directory (local or {@code hdfs://}) while a job writes to it: a file created
 * only if absent (atomic on HDFS and local file systems) that names the host, pid and start time
 * of its owner, whose modification time the owner refreshes (a heartbeat). A second job refuses
 * with the owner's details. A lock is stale, and taken over with a warning, when its owner ran on
 * this host and its process is gone, or when its heartbeat is older than {@code staleAfter}.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".nightjar.lock";
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

    /** Who holds a lock. */
    public record Owner(String host, long pid, String started) {
        static Owner me() {
            return new Owner(hostName(), ProcessHandle.current().pid(), Instant.now().toString());
        }
    }

    private final FileSystem fs;
    private final Path path;
    private final Owner owner;
    private final ScheduledExecutorService heartbeat;

    private RunLock(FileSystem fs, Path path, Owner owner, Duration staleAfter) {
        this.fs = fs;
        this.path = path;
        this.owner = owner;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nightjar-run-lock");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, staleAfter.toMillis() / 4);
        heartbeat.scheduleAtFixedRate(this::touch, every, every, TimeUnit.MILLISECONDS);
    }

    /** Takes the lock of {@code runDir} (created if missing), or fails naming who holds it. */
    public static RunLock acquire(String runDir, Configuration conf, Duration staleAfter) {
        FileSystem fs = HadoopFiles.fs(runDir, conf);
        Path path = new Path(runDir, FILE);
        Owner me = Owner.me();
        try {
            fs.mkdirs(new Path(runDir));
            if (create(fs, path, me)) {
                return new RunLock(fs, path, me, staleAfter);
            }
            Owner holder = read(fs, path);
            long age = System.currentTimeMillis() - fs.getFileStatus(path).getModificationTime();
            String why = staleReason(holder, age, staleAfter);
            if (why == null) {
                throw new UserException("run directory " + runDir + " is locked by " + describe(holder) + " (" + path
                        + "); wait for that job, or remove the lock file if it is surely dead");
            }
            LOG.warn("taking over the lock of run directory {} from {}: {}", runDir, describe(holder), why);
            fs.delete(path, false);
            if (create(fs, path, me)) {
                return new RunLock(fs, path, me, staleAfter);
            }
            throw new UserException("run directory " + runDir + " was locked by another job while this one took over a stale lock: "
                    + describe(read(fs, path)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock run directory " + runDir, e);
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

    private static boolean create(FileSystem fs, Path path, Owner me) throws IOException {
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write((Json.write(me) + "\n").getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(path)) {
                return false;
            }
            throw e;
        }
    }

    /** The owner recorded in a lock file, or null when it cannot be read (half written, corrupt). */
    static Owner read(FileSystem fs, Path path) {
        try (var in = fs.open(path)) {
            return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), Owner.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(Owner o) {
        return o == null ? "an unknown job (unreadable lock file)" : "host " + o.host() + ", pid " + o.pid() + ", started " + o.started();
    }

    public Owner owner() {
        return owner;
    }

    private void touch() {
        try {
            fs.setTimes(path, System.currentTimeMillis(), -1);
        } catch (IOException e) {
            LOG.warn("cannot refresh the run lock {}: {}", path, e.getMessage());
        }
    }

    /** Releases the lock if it is still this job's. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            if (owner.equals(read(fs, path))) {
                fs.delete(path, false);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the run lock {}: {}", path, e.getMessage());
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
