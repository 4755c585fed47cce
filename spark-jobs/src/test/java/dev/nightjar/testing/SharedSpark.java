package dev.nightjar.testing;

import dev.nightjar.spark.SparkSessions;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;

/**
 * One SparkContext for the test JVM, with Nightjar's own settings (Kryo, ND4J registrator):
 * {@code local[2,3]}, two cores and up to three attempts per task, as on a cluster, so the
 * task-retry test can fail a task once (a deterministic error still fails the job, after its retries).
 */
public final class SharedSpark {
    private static JavaSparkContext sc;

    private SharedSpark() {
    }

    public static synchronized JavaSparkContext get() {
        if (sc == null) {
            sc = SparkSessions.start("local[2,3]", "nightjar-tests", Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
        }
        return sc;
    }
}
