package dev.nightjar.cluster;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.eval.LanguageModelMetrics;
import dev.nightjar.jobs.EvaluateJob;
import dev.nightjar.jobs.RegisterJob;
import dev.nightjar.jobs.TrainJob;
import dev.nightjar.spark.SparkSessions;
import dev.nightjar.storage.Checkpoints;
import dev.nightjar.storage.Registry;
import dev.nightjar.storage.RunLock;
import dev.nightjar.train.MetricsLog;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nightjar against real Hadoop daemons in this JVM (docs/stack.md): a MiniDFSCluster holds the corpus,
 * the dataset, checkpoints, the model and the registry; a MiniYARNCluster runs the executors of a
 * training job as containers in their own JVMs. Same code path as local mode: only the master and
 * the URIs change.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HadoopClusterIT {
    @TempDir
    static Path tmp;
    static MiniDFSCluster dfs;
    static MiniYARNCluster yarn;
    static String hdfs;
    /** spark-submit's output in the cluster-mode test, kept in target/ for a failure's post-mortem. */
    static final Path LAUNCHER_LOG = Path.of("target", "launcher-it.log").toAbsolutePath();

    @BeforeAll
    static void startClusters() throws Exception {
        Configuration conf = new YarnConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();
        hdfs = dfs.getURI() + "/nightjar";
        conf.set("fs.defaultFS", dfs.getURI().toString());
        // one NodeManager big enough for the AM and two executors; MiniYARNCluster overwrites the usual key with this one
        conf.setInt("yarn.minicluster.yarn.nodemanager.resource.memory-mb", 12288);
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
        // a fast NodeManager shutdown that keeps the container logs
        conf.set("yarn.nodemanager.log.retain-seconds", "1");
        conf.set("yarn.nodemanager.delete.debug-delay-sec", "3600");
        // the minicluster jar has no capacity-scheduler.xml
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
        conf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
        conf.set("yarn.scheduler.capacity.root.default.user-limit-factor", "1");
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.set("yarn.scheduler.capacity.node-locality-delay", "-1");
        yarn = new MiniYARNCluster("nightjar-it", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(HadoopClusterIT::stopClusters));
    }

    @AfterAll
    static void stopClusters() {
        if (yarn != null) {
            yarn.stop();
            yarn = null;
        }
        if (dfs != null) {
            dfs.shutdown();
            dfs = null;
        }
    }

    static Config config(String... extra) {
        List<String> sets = new ArrayList<>(List.of("model.learning-rate=0.02", "model.lm.embedding-size=8", "model.lm.lstm-sizes=[32]",
                "model.lm.tbptt-length=10", "train.workers=2", "train.averaging-frequency=2", "train.rounds-per-segment=2",
                "train.epochs=1", "train.checkpoint-every=1"));
        sets.addAll(List.of(extra));
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(sets));
    }

    /** A small corpus put on HDFS as four files, prepared into an HDFS dataset. */
    static String prepare(JavaSparkContext sc, String name) throws Exception {
        FileSystem fs = dfs.getFileSystem();
        for (int f = 0; f < 4; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                lines.add("the quick brown fox " + (i % 7) + " jumps over the lazy dog in part " + f);
            }
            Path local = tmp.resolve(name + "-" + f + ".txt");
            Files.write(local, lines);
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(hdfs + "/" + name + "/corpus/" + f + ".txt"));
        }
        String data = hdfs + "/" + name + "/data";
        new TextPrep(sc).run(new TextPrep.Options(List.of(new TextInput("lines", null, List.of(hdfs + "/" + name + "/corpus/*.txt"))), data,
                "char", null, 20, 8, 0.1, 0.1, 42, 1, 100, false));
        return data;
    }

    static boolean exists(String uri) throws Exception {
        return dfs.getFileSystem().exists(new org.apache.hadoop.fs.Path(uri));
    }

    /**
     * Locks and publishing on real HDFS: a second job refuses a held lock, a stale one is taken over, and
     * publishing onto a directory that exists fails where HDFS's rename would move the new one inside it.
     */
    @Test
    @Order(0)
    void locksAndPublishingOnHdfs() throws Exception {
        Configuration conf = dfs.getConfiguration(0);
        FileSystem fs = dfs.getFileSystem();
        String dir = hdfs + "/locks/run";
        try (RunLock lock = RunLock.acquire(dir, conf, Duration.ofMinutes(5))) {
            RunLock.Held e = assertThrows(RunLock.Held.class, () -> RunLock.acquire(dir, conf, Duration.ofMinutes(5)));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            lock.check();
        }
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, RunLock.FILE);
        try (var out = fs.create(file, false)) {
            out.write(Json.write(new RunLock.Owner("elsewhere.example", 4242, "2026-01-01T00:00:00Z", "t")).getBytes(StandardCharsets.UTF_8));
        }
        fs.setTimes(file, System.currentTimeMillis() - 3_600_000, -1);
        try (RunLock lock = RunLock.acquire(dir, conf, Duration.ofMinutes(5))) {
            assertEquals(ProcessHandle.current().pid(), lock.owner().pid(), "the stale lock was taken over");
        }

        String target = hdfs + "/locks/data";
        String completed = hdfs + "/locks/.data.tmp-1";
        fs.mkdirs(new org.apache.hadoop.fs.Path(target));
        fs.mkdirs(new org.apache.hadoop.fs.Path(completed));
        assertThrows(UserException.class, () -> HadoopFiles.moveIntoPlace(completed, target, conf));
        assertEquals(0, fs.listStatus(new org.apache.hadoop.fs.Path(target)).length, "nothing nested inside the existing directory");
        assertTrue(fs.rename(new org.apache.hadoop.fs.Path(completed), new org.apache.hadoop.fs.Path(target)), "HDFS's own rename nests it");
        assertEquals(1, fs.listStatus(new org.apache.hadoop.fs.Path(target)).length);
    }

    @Test
    @Order(1)
    void prepareTrainEvaluateAndRegisterOnHdfs() throws Exception {
        JavaSparkContext sc = SparkSessions.start("local[2]", "nightjar-hdfs-it", Map.of());
        try {
            String data = prepare(sc, "local");
            assertTrue(exists(data + "/" + Manifest.FILE) && exists(data + "/shards"), "the dataset is on HDFS");
            String run = hdfs + "/local/run";
            TrainJob.Result r = TrainJob.run(new TrainJob.Options(config(), data, run, false), sc);
            assertTrue(exists(run + "/" + TrainJob.MODEL_DIR + "/model.zip"), "the model bundle is on HDFS");
            assertTrue(exists(run + "/report.html"));
            assertTrue(new Checkpoints(run, sc.hadoopConfiguration(), 3).list().size() >= 1, "checkpoints on HDFS");
            long lines = dfs.getFileSystem().open(new org.apache.hadoop.fs.Path(run + "/" + MetricsLog.FILE)).readAllBytes().length > 0
                    ? new String(dfs.getFileSystem().open(new org.apache.hadoop.fs.Path(run + "/" + MetricsLog.FILE)).readAllBytes()).lines().count() : 0;
            assertEquals(r.segments().size(), lines, "metrics.jsonl on HDFS, a line per segment");

            // a second epoch on the same run directory resumes from the checkpoint on HDFS and appends to metrics.jsonl
            TrainJob.Result more = TrainJob.run(new TrainJob.Options(config("train.epochs=2"), data, run, true), sc);
            Manifest m = Manifest.read(data, sc.hadoopConfiguration());
            assertEquals(2 * m.examples(Splits.TRAIN), more.segments().get(more.segments().size() - 1).examplesSeen());
            assertTrue(new String(dfs.getFileSystem().open(new org.apache.hadoop.fs.Path(run + "/" + MetricsLog.FILE)).readAllBytes())
                    .contains("resumed_from"), "the resume is marked");

            // evaluate reads the model back from HDFS and writes its metrics there
            LanguageModelMetrics eval = EvaluateJob.languageModel(new EvaluateJob.Options(run + "/model", data, "test", hdfs + "/local/eval", 0), sc);
            double uniform = Math.log(Manifest.tokenizer(data, sc.hadoopConfiguration()).size()) / Math.log(2);
            assertTrue(eval.bitsPerToken() < uniform - 1, "learned something: " + eval.bitsPerToken() + " bits vs uniform " + uniform);
            assertTrue(exists(hdfs + "/local/eval/" + EvaluateJob.METRICS_FILE));

            // the registry on HDFS: the version copied, LATEST replaced atomically
            RegisterJob.Outcome o = RegisterJob.run(hdfs + "/registry", "lm", run, data, config(), sc);
            assertEquals("v0001", o.version());
            assertEquals("v0001", new Registry(hdfs + "/registry", sc.hadoopConfiguration()).latest("lm"));
            assertTrue(exists(hdfs + "/registry/lm/v0001/model.zip") && exists(hdfs + "/registry/lm/v0001/" + Registry.GATE_FILE));
        } finally {
            sc.stop();
        }
    }

    /**
     * The launcher's own YARN path, in cluster mode: {@code deploy/nightjar train ... --master yarn
     * --deploy-mode cluster} with conf/yarn.conf, the Java 17 flags and ND4J's memory rule, the driver
     * in a YARN container. There is no Spark distribution here, so SPARK_HOME is a stand-in whose
     * spark-submit runs Spark's SparkSubmit on HADOOP_CONF_DIR and this JVM's class path (as Spark's
     * own script runs it on HADOOP_CONF_DIR and SPARK_HOME/jars) and points YARN at that class path
     * as the other test does.
     */
    @Test
    @Order(3)
    void theLauncherSubmitsTrainingInClusterMode() throws Exception {
        Path hadoopConf = Files.createDirectories(tmp.resolve("hadoop-conf"));
        for (String file : List.of("core-site.xml", "yarn-site.xml")) {
            try (var out = Files.newOutputStream(hadoopConf.resolve(file))) {
                yarn.getConfig().writeXml(out);
            }
        }
        Path sparkHome = Files.createDirectories(tmp.resolve("spark-home/bin"));
        Path emptyJar = tmp.resolve("empty-2.jar");
        Files.createFile(emptyJar);
        String classPath = System.getProperty("java.class.path");
        Path submit = sparkHome.resolve("spark-submit");
        Files.writeString(submit, String.join("\n", "#!/usr/bin/env bash",
                "exec \"" + System.getProperty("java.home") + "/bin/java\" -Xmx1g " + SparkSessions.JVM_FLAGS
                        + " -cp \"$HADOOP_CONF_DIR:$IT_CLASSPATH\" org.apache.spark.deploy.SparkSubmit"
                        + " --conf spark.yarn.jars=local:" + emptyJar + " --conf spark.ui.enabled=false"
                        + " --conf spark.driver.extraClassPath=\"$IT_CLASSPATH\" --conf spark.executor.extraClassPath=\"$IT_CLASSPATH\""
                        + " --conf spark.yarn.appMasterEnv.JAVA_HOME=" + System.getProperty("java.home")
                        + " --conf spark.executorEnv.JAVA_HOME=" + System.getProperty("java.home") + " \"$@\"", ""));
        submit.toFile().setExecutable(true);
        Path job = tmp.resolve("small-lm.conf");
        Files.writeString(job, String.join("\n", "model.learning-rate = 0.02", "model.lm { embedding-size = 8, lstm-sizes = [32], tbptt-length = 10 }",
                "train { workers = 2, averaging-frequency = 2, rounds-per-segment = 2, epochs = 1, checkpoint-every = 1 }", ""));

        Path root = Path.of(System.getProperty("user.dir")).getParent();
        String data = hdfs + "/yarn/data"; // prepared by the test before
        String run = hdfs + "/launcher/run";
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("deploy/nightjar").toString(), "train", "--config", job.toString(),
                "--data", data, "--output", run, "--master", "yarn", "--deploy-mode", "cluster", "--num-executors", "2",
                "--executor-cores", "1", "--executor-memory", "1g", "--driver-memory", "1g")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(LAUNCHER_LOG.toFile());
        pb.environment().putAll(Map.of("SPARK_HOME", sparkHome.getParent().toString(), "HADOOP_CONF_DIR", hadoopConf.toString(),
                "IT_CLASSPATH", classPath, "NIGHTJAR_CLUSTER_JAR", root.resolve("spark-jobs/target/nightjar-local.jar").toString()));
        Process p = pb.start();
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            org.junit.jupiter.api.Assertions.fail("spark-submit did not finish in 5 minutes; its output is in " + LAUNCHER_LOG);
        }
        String log = Files.readString(LAUNCHER_LOG);
        assertEquals(0, p.exitValue(), "spark-submit failed:\n" + log.substring(Math.max(0, log.length() - 4000)));
        var app = yarn.getResourceManager().getRMContext().getRMApps().values().stream()
                .filter(a -> a.getName().equals("nightjar train")).findFirst().orElseThrow();
        assertEquals(org.apache.hadoop.yarn.api.records.FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus(),
                "the YARN application's final status");
        assertEquals(1, app.getAppAttempts().size(), "one attempt: the driver's success was reported, not retried");
        assertTrue(exists(run + "/model/model.zip"), "the model is on HDFS");
        assertTrue(exists(run + "/" + MetricsLog.FILE) && exists(run + "/checkpoints"), "metrics and checkpoints on HDFS");
    }

    /** Counts the executors that ran tasks. */
    static final class Executors extends SparkListener {
        final Set<String> ids = ConcurrentHashMap.newKeySet();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            ids.add(end.taskInfo().executorId());
        }
    }

    @Test
    @Order(2)
    void trainsWithExecutorsInYarnContainers() throws Exception {
        Path emptyJar = Files.createFile(tmp.resolve("empty.jar"));
        Map<String, String> extra = new HashMap<>();
        // no Spark distribution here: the NodeManager runs on this host, so the containers use this JVM's class path
        extra.put("spark.yarn.jars", "local:" + emptyJar);
        extra.put("spark.driver.extraClassPath", System.getProperty("java.class.path"));
        extra.put("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        extra.put("spark.yarn.am.extraJavaOptions", SparkSessions.JVM_FLAGS);
        extra.put("spark.yarn.appMasterEnv.JAVA_HOME", System.getProperty("java.home"));
        extra.put("spark.executorEnv.JAVA_HOME", System.getProperty("java.home"));
        extra.put("spark.executorEnv.OMP_NUM_THREADS", "1");
        extra.put("spark.executor.instances", "2");
        extra.put("spark.executor.cores", "1");
        extra.put("spark.executor.memory", "1g");
        extra.put("spark.executor.memoryOverhead", "768m");
        extra.put("spark.yarn.am.memory", "512m");
        // the minicluster jar shades the servlet API, so YARN's proxy filter cannot wrap Spark's UI
        extra.put("spark.ui.enabled", "false");
        extra.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        extra.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
        for (Map.Entry<String, String> e : yarn.getConfig()) {
            extra.put("spark.hadoop." + e.getKey(), e.getValue());
        }
        JavaSparkContext sc = SparkSessions.start("yarn", "nightjar-yarn-it", extra);
        try {
            String data = prepare(sc, "yarn");
            Executors executors = new Executors();
            sc.sc().addSparkListener(executors);
            String run = hdfs + "/yarn/run";
            TrainJob.Result r = TrainJob.run(new TrainJob.Options(config(), data, run, false), sc);
            sc.sc().listenerBus().waitUntilEmpty();
            assertTrue(executors.ids.size() >= 2, "training ran on executors " + executors.ids);
            assertTrue(exists(run + "/model/model.zip"), "the model is on HDFS");
            assertEquals(Manifest.read(data, sc.hadoopConfiguration()).examples(Splits.TRAIN),
                    r.segments().get(r.segments().size() - 1).examplesSeen(), "every record trained once");
            assertTrue(sc.master().startsWith("yarn"), sc.master());
        } finally {
            sc.stop();
        }
    }
}
