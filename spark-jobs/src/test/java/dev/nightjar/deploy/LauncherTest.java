package dev.nightjar.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/nightjar's YARN path, through its --dry-run line: what spark-submit would be given; and its local path's
 * decision to (re)build the jar, in a copy of the launcher with stand-ins for mvn and java.
 */
class LauncherTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    record Run(int code, String out) {
    }

    static Run launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return launcher(ROOT, env, args);
    }

    static Run launcher(Path root, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("deploy/nightjar").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().remove("SPARK_HOME");
        pb.environment().remove("NIGHTJAR_JAR");
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

    /** A checkout in miniature: the launcher, poms, a source, conf/, the jar; mvn and java are scripts that say they ran. */
    static final class Tree {
        final Path root;
        final Path jar;
        final Path source;
        final Path conf;
        final Map<String, String> env = new HashMap<>();
        final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        Tree(Path root) throws IOException {
            this.root = root;
            Files.createDirectories(root.resolve("deploy"));
            Files.copy(ROOT.resolve("deploy/nightjar"), root.resolve("deploy/nightjar"));
            Files.writeString(root.resolve("pom.xml"), "<project/>\n");
            Files.createDirectories(root.resolve("spark-jobs/target"));
            Files.writeString(root.resolve("spark-jobs/pom.xml"), "<project/>\n");
            source = Files.createDirectories(root.resolve("spark-jobs/src/main/java/dev")).resolve("A.java");
            Files.writeString(source, "class A {}\n");
            conf = Files.createDirectories(root.resolve("conf")).resolve("jvm.options");
            Files.writeString(conf, "-Djava.awt.headless=true\n");
            jar = root.resolve("spark-jobs/target/nightjar-local.jar");
            Files.writeString(jar, "jar");
            // mvn makes the jar when it is missing and leaves an existing one alone (as Maven may, with nothing to do)
            script(root.resolve("bin/mvn"), "echo \"fake-mvn $*\"; [ -f spark-jobs/target/nightjar-local.jar ] || echo jar > spark-jobs/target/nightjar-local.jar");
            script(root.resolve("jdk/bin/java"), "echo \"fake-java $*\"");
            env.put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
            env.put("JAVA_HOME", root.resolve("jdk").toString());
            // the jar here has no build stamp, which reads as the pom's AVX2 build; without this, an AVX-512 host
            // (where the launcher picks that build) would rebuild it in every test
            env.put("NIGHTJAR_NATIVE", "avx2");
            try (var all = Files.walk(root)) { // folders too: a new or deleted file makes its folder newer
                for (Path p : all.toList()) {
                    age(p, 3);
                }
            }
            age(jar, 1);
        }

        static void script(Path p, String body) throws IOException {
            Files.createDirectories(p.getParent());
            Files.writeString(p, "#!/bin/sh\n" + body + "\n");
            assertTrue(p.toFile().setExecutable(true));
        }

        /** Sets the file's modification time to {@code hours} hours ago. */
        void age(Path p, int hours) throws IOException {
            Files.setLastModifiedTime(p, FileTime.from(now.minus(hours, ChronoUnit.HOURS)));
        }

        Run run(String... args) throws IOException, InterruptedException {
            return launcher(root, env, args);
        }
    }

    static void ranJava(Run r) {
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("fake-java ") && r.out().contains(" dev.nightjar.cli.Nightjar models list"), r.out());
    }

    @Test
    void localModeRebuildsTheDefaultJarWhenMissingOrOlderThanItsSources(@TempDir Path tmp) throws Exception {
        Tree t = new Tree(tmp);
        Run fresh = t.run("models", "list");
        ranJava(fresh);
        assertFalse(fresh.out().contains("fake-mvn"), "an up-to-date jar is not rebuilt: " + fresh.out());

        t.age(t.source, 0);
        Run edited = t.run("models", "list");
        ranJava(edited);
        assertTrue(edited.out().contains("nightjar: spark-jobs/src/main/java/dev/A.java is newer than spark-jobs/target/nightjar-local.jar; rebuilding it"),
                edited.out());
        assertTrue(edited.out().contains("fake-mvn -q -B -DskipTests package"), edited.out());
        Run again = t.run("models", "list");
        ranJava(again);
        assertFalse(again.out().contains("fake-mvn"), "the rebuilt jar counts as up to date even if Maven left it alone: " + again.out());

        t.age(t.jar, 1);
        t.age(t.source, 2);
        t.age(t.conf, 0);
        Run conf = t.run("models", "list");
        assertTrue(conf.out().contains("conf/jvm.options is newer than") && conf.out().contains("fake-mvn"), conf.out());

        Files.delete(t.jar);
        Run missing = t.run("models", "list");
        ranJava(missing);
        assertTrue(missing.out().contains("nightjar-local.jar is missing; building it") && missing.out().contains("fake-mvn"), missing.out());

        // another ND4J build asked for: rebuilt with it, and stamped, so the next run leaves it alone
        t.env.put("NIGHTJAR_NATIVE", "avx512");
        Run other = t.run("models", "list");
        assertTrue(other.out().contains("carries another ND4J build than linux-x86_64-onednn-avx512")
                && other.out().contains("-Dnd4j.classifier=linux-x86_64-onednn-avx512"), other.out());
        assertFalse(t.run("models", "list").out().contains("fake-mvn"), "the stamp records the build");
    }

    @Test
    void aJarNamedByNightjarJarOrWithoutSourcesIsUsedAsItIs(@TempDir Path tmp) throws Exception {
        Tree t = new Tree(tmp);
        t.age(t.source, 0);
        Path own = tmp.resolve("own.jar");
        Files.writeString(own, "jar");
        t.age(own, 5);
        t.env.put("NIGHTJAR_JAR", own.toString());
        Run named = t.run("models", "list");
        ranJava(named);
        assertFalse(named.out().contains("fake-mvn"), named.out());
        assertTrue(named.out().contains(own.toString()), named.out());
        t.env.put("NIGHTJAR_JAR", tmp.resolve("absent.jar").toString());
        Run absent = t.run("models", "list");
        assertEquals(2, absent.code(), absent.out());
        assertTrue(absent.out().contains("absent.jar (NIGHTJAR_JAR) is missing") && !absent.out().contains("fake-mvn"), absent.out());
        t.env.remove("NIGHTJAR_JAR");

        // a cluster node's copy: deploy/, conf/ and the jar, no sources or poms
        Files.delete(t.source);
        Files.delete(tmp.resolve("pom.xml"));
        Files.delete(tmp.resolve("spark-jobs/pom.xml"));
        t.age(t.conf, 0);
        Run copy = t.run("models", "list");
        ranJava(copy);
        assertFalse(copy.out().contains("fake-mvn"), copy.out());
        Files.delete(t.jar);
        Run noJar = t.run("models", "list");
        assertEquals(2, noJar.code(), noJar.out());
        assertTrue(noJar.out().contains("nightjar-local.jar is missing and there are no sources here") && !noJar.out().contains("fake-mvn"), noJar.out());
    }
}
