package dev.nightjar.cli;

import dev.nightjar.spark.SparkSessions;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/** Spark options shared by every command that runs a Spark job. */
final class SparkOptions {
    @Option(names = "--master", defaultValue = "local[*]",
            description = "Spark master: local[*] (default), local[N], or yarn through spark-submit.")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark setting (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    /** Starts Spark, runs the job, stops Spark. */
    int run(String appName, ToIntFunction<JavaSparkContext> job) {
        JavaSparkContext sc = SparkSessions.start(master, "nightjar " + appName, conf);
        try {
            return job.applyAsInt(sc);
        } finally {
            sc.stop();
        }
    }
}
