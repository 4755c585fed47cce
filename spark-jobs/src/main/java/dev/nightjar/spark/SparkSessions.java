package dev.nightjar.spark;

import dev.nightjar.nd4j.NativeTuning;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the SparkContext every Nightjar job uses: Kryo with ND4J's registrator, Java 17 flags. */
public final class SparkSessions {
    /** conf/jvm.options (bundled): the flags Spark's own launcher adds on Java 17, plus the DL4J helper switch. */
    public static final String JVM_FLAGS = jvmFlags();

    private SparkSessions() {
    }

    private static String jvmFlags() {
        try (InputStream in = SparkSessions.class.getClassLoader().getResourceAsStream("jvm.options")) {
            if (in == null) {
                throw new IllegalStateException("jvm.options is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.joining(" "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SparkConf conf(String master, String appName, Map<String, String> extra) {
        SparkConf c = new SparkConf().setAppName(appName)
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator," + NightjarKryoRegistrator.class.getName())
                .set("spark.driver.extraJavaOptions", JVM_FLAGS)
                .set("spark.executor.extraJavaOptions", JVM_FLAGS)
                .set("spark.locality.wait", "0")
                // trends bucket by UTC day, hour and week, whatever the machine's zone
                .set("spark.sql.session.timeZone", "UTC")
                .set("spark.ui.showConsoleProgress", "false");
        if (master != null) {
            c.setMaster(master);
        }
        if (master != null && master.startsWith("local")) {
            c.set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        }
        extra.forEach(c::set);
        return c;
    }

    /** ND4J threads for each task: the machine's cores shared among the tasks that run at once. */
    public static int threadsPerTask(JavaSparkContext sc) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, sc.defaultParallelism()));
    }

    public static JavaSparkContext start(String master, String appName, Map<String, String> extra) {
        NativeTuning.enableHelpers();
        JavaSparkContext sc = new JavaSparkContext(conf(master, appName, extra));
        sc.setLogLevel("WARN");
        return sc;
    }
}
