package dev.nightjar.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockFileTest {
    /**
     * Contenders replace a lock file (moved aside, created anew) while others look at it. A look that
     * straddles a replacement must not report a time the lock never had: Hadoop's local status did (time 0
     * when the file vanished between its calls), which made a live lock look 56 years stale.
     */
    @Test
    void aFileReplacedWhileItIsStatedNeverReportsATimeItNeverHad(@TempDir java.nio.file.Path dir) throws Exception {
        Configuration conf = new Configuration();
        Path lock = new Path(dir.toUri().toString(), "lock");
        LockFile files = new LockFile(FileSystem.getLocal(conf), conf);
        long start = System.currentTimeMillis() - 2_000; // file times may be rounded down
        assertTrue(files.createExclusive(lock, "0".getBytes(StandardCharsets.UTF_8)));
        AtomicBoolean stop = new AtomicBoolean();
        Thread replacer = new Thread(() -> {
            try {
                for (int i = 1; !stop.get(); i++) {
                    Path aside = new Path(dir.toUri().toString(), "aside-" + i);
                    if (files.moveAside(lock, aside)) {
                        files.delete(aside);
                    }
                    files.createExclusive(lock, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        replacer.start();
        int seen = 0;
        long wrong = -1;
        try {
            long until = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < until && wrong < 0) {
                try {
                    long modified = files.stat(lock).modified();
                    seen++;
                    if (modified < start) {
                        wrong = modified;
                    }
                } catch (FileNotFoundException between) {
                    // moved aside, not yet created again: a fair answer
                }
            }
        } finally {
            stop.set(true);
            replacer.join();
        }
        assertEquals(-1, wrong, "a stat reported a modification time older than every file it could have seen");
        assertTrue(seen > 1000, "the test looked only " + seen + " times");
    }
}
