package dev.nightjar.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/nightjar's YARN path, through its --dry-run line: what spark-submit would be given. */
class LauncherTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    record Run(int code, String out) {
    }

    static Run launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/nightjar").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().remove("SPARK_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void aDryRunPrintsACompleteSparkSubmitLine() throws Exception {
        Run r = launcher(Map.of("SPARK_HOME", "/opt/spark"), "train", "--config", "conf/lm-char.conf", "--data", "hdfs:///d",
                "--output", "hdfs:///r", "--master", "yarn", "--queue", "ml", "--num-executors", "3", "--dry-run");
        assertEquals(0, r.code(), r.out());
        String line = r.out().strip();
        assertTrue(line.startsWith("/opt/spark/bin/spark-submit --master yarn --deploy-mode client --class dev.nightjar.cli.Nightjar"), line);
        for (String part : List.of("--queue ml", "--num-executors 3", "spark.serializer=org.apache.spark.serializer.KryoSerializer",
                "org.nd4j.kryo.Nd4jRegistrator", "spark.locality.wait=0", "spark.executor.memoryOverhead=7g",
                "-Dorg.bytedeco.javacpp.maxbytes=6g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=13g",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "spark.yarn.am.extraJavaOptions",
                "nightjar-cluster.jar train --config conf/lm-char.conf --data hdfs:///d --output hdfs:///r")) {
            assertTrue(line.contains(part), "missing " + part + " in " + line);
        }
        assertFalse(line.contains("--master yarn --dry-run") || line.endsWith("--dry-run"), "launcher options stay out of the command");
        // every Java 17 flag of conf/jvm.options reaches the executors
        for (String flag : Files.readAllLines(ROOT.resolve("conf/jvm.options"))) {
            if (!flag.isBlank() && !flag.startsWith("#")) {
                assertTrue(line.contains(flag.strip()), flag);
            }
        }
    }

    @Test
    void executorMemoryKeepsTheOffHeapRuleAndGpusSetResourceScheduling() throws Exception {
        Run r = launcher(Map.of(), "train", "--data", "d", "--output", "r", "--master", "yarn", "--deploy-mode", "cluster",
                "--config", "conf/lm-char.conf", "--num-executors", "2", "--executor-memory", "4g", "--gpus-per-executor", "2", "--dry-run");
        assertEquals(0, r.code(), r.out());
        String line = r.out().strip();
        for (String part : List.of("spark.executor.memory=4096m", "spark.executor.memoryOverhead=5120m",
                "-Dorg.bytedeco.javacpp.maxbytes=4096m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=9216m",
                "spark.executor.resource.gpu.amount=2", "spark.task.resource.gpu.amount=1",
                "spark.executor.resource.gpu.discoveryScript=./nightjar-gpus.sh", "nightjar-gpus.sh", "nightjar-cluster-cuda.jar",
                "--set train.workers=4", "--config lm-char.conf", "--deploy-mode cluster")) {
            assertTrue(line.contains(part), "missing " + part + " in " + line);
        }
        assertTrue(line.matches(".*--files \\S*conf/lm-char.conf\\S*.*"), "cluster mode ships the job file: " + line);
    }

    @Test
    void mistakesExitTwoWithAReason() throws Exception {
        Run mode = launcher(Map.of(), "train", "--master", "yarn", "--deploy-mode", "both", "--dry-run");
        assertEquals(2, mode.code());
        assertTrue(mode.out().contains("--deploy-mode must be client or cluster"), mode.out());
        Run noSpark = launcher(Map.of(), "train", "--data", "d", "--master", "yarn");
        assertEquals(2, noSpark.code());
        assertTrue(noSpark.out().contains("SPARK_HOME is not set"), noSpark.out());
    }
}
