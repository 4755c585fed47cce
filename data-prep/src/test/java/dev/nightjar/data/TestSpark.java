package dev.nightjar.data;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** One local[2] SparkContext for the whole test JVM (surefire reuses one fork per module). */
public final class TestSpark {
    private static JavaSparkContext sc;

    private TestSpark() {
    }

    public static synchronized JavaSparkContext get() {
        if (sc == null) {
            sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("data-prep-tests")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
            Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
        }
        return sc;
    }
}
