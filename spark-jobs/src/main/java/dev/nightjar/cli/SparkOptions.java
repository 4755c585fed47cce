package dev.nightjar.cli;

import dev.nightjar.spark.SparkSessions;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Spark options shared by every command that runs a Spark job. */
final class SparkOptions {
    @Option(names = "--master", defaultValue = "local[*]",
            description = "Spark master: local[*] (default), local[N], or yarn through spark-submit.")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark setting (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    JavaSparkContext start(String appName) {
        return SparkSessions.start(master, "nightjar " + appName, conf);
    }
}
