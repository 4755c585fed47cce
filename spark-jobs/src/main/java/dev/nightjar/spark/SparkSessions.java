package dev.nightjar.spark;

import dev.nightjar.nd4j.NativeTuning;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;

/** Builds the SparkContext every Nightjar job uses: Kryo with ND4J's registrator, Java 17 flags. */
public final class SparkSessions {
    /** The flags Spark's own launcher adds on Java 17 (STACK.md), plus the DL4J helper switch. */
    public static final String JVM_FLAGS = String.join(" ",
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "-D" + NativeTuning.HELPERS_PROPERTY + "=false", "-Djava.awt.headless=true");

    private SparkSessions() {
    }

    public static SparkConf conf(String master, String appName, Map<String, String> extra) {
        SparkConf c = new SparkConf().setAppName(appName)
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator," + NightjarKryoRegistrator.class.getName())
                .set("spark.driver.extraJavaOptions", JVM_FLAGS)
                .set("spark.executor.extraJavaOptions", JVM_FLAGS)
                .set("spark.locality.wait", "0")
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

    public static JavaSparkContext start(String master, String appName, Map<String, String> extra) {
        NativeTuning.enableHelpers();
        JavaSparkContext sc = new JavaSparkContext(conf(master, appName, extra));
        sc.setLogLevel("WARN");
        return sc;
    }
}
