package dev.nightjar.cli;

import dev.nightjar.spark.SparkSessions;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/** Spark options shared by every command that runs a Spark job. */
final class SparkOptions {
    @Option(names = "--master",
            description = "Spark master: local[*] (the default), local[N], local[N,F] (F attempts per task); under spark-submit, "
                    + "the master spark-submit was given (deploy/nightjar --master yarn submits to YARN).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark setting (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    /** Starts Spark, runs the job, stops Spark. */
    int run(String appName, ToIntFunction<JavaSparkContext> job) {
        // spark-submit passes its master as the spark.master property; SparkConf reads it
        String m = master != null ? master : System.getProperty("spark.master") != null ? null : "local[*]";
        JavaSparkContext sc = SparkSessions.start(m, "nightjar " + appName, conf);
        try {
            return job.applyAsInt(sc);
        } finally {
            sc.stop();
        }
    }
}
