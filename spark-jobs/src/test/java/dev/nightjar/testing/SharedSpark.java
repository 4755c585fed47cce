package dev.nightjar.testing;

import dev.nightjar.spark.SparkSessions;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;

/** One local[2] SparkContext (Nightjar's own settings: Kryo, ND4J registrator) for the test JVM. */
public final class SharedSpark {
    private static JavaSparkContext sc;

    private SharedSpark() {
    }

    public static synchronized JavaSparkContext get() {
        if (sc == null) {
            sc = SparkSessions.start("local[2]", "nightjar-tests", Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
        }
        return sc;
    }
}
