package dev.nightjar.cli;

import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.storage.Bundles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.security.AccessControlException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the user or operator can fix exits 2 with one line naming the file; a bug exits 1. */
class ExitCodesTest {

    private static void assertOneLineExitTwo(NightjarCliTest.Run r, String... mentions) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        for (String m : mentions) {
            assertTrue(r.err().contains(m), "names " + m + ": " + r.err());
        }
    }

    @Test
    void corruptRegistryLatestAndRegistrationExitTwoNamingTheFile(@TempDir Path tmp) throws Exception {
        Path registry = tmp.resolve("registry");
        Path version = Files.createDirectories(registry.resolve("m/v0001"));
        Files.writeString(registry.resolve("m/LATEST"), "{\"version\": \"v0001\",");
        assertOneLineExitTwo(NightjarCliTest.run("models", "latest", "--registry", registry.toString(), "m"), "m/LATEST", "cannot parse");

        Files.writeString(registry.resolve("m/LATEST"), "{\"version\": 7}");
        assertOneLineExitTwo(NightjarCliTest.run("models", "latest", "--registry", registry.toString(), "m"), "m/LATEST");

        Files.delete(registry.resolve("m/LATEST"));
        Files.writeString(version.resolve("registration.json"), "[1, 2");
        assertOneLineExitTwo(NightjarCliTest.run("models", "show", "--registry", registry.toString(), "m@v0001"),
                "m/v0001/registration.json", "cannot parse");
    }

    @Test
    void badFewLabelOptionsOfPrepareImagesExitTwoNamingTheOption(@TempDir Path tmp) throws Exception {
        new LabelMap(List.of("cat", "dog", "eel")).save(tmp);
        String out = tmp.resolve("out").toString();
        assertOneLineExitTwo(NightjarCliTest.run("prepare", "images", "--input", tmp.toString(), "--output", out, "--per-class", "0"),
                "--per-class must be at least 1");
        assertOneLineExitTwo(NightjarCliTest.run("prepare", "images", "--input", tmp.toString(), "--output", out, "--classes", "cat,dog",
                "--labels-from", tmp.toString()), "--classes and --labels-from");
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void corruptProvenanceIsAUserErrorNamingTheFile(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve(ModelBundle.PROVENANCE_FILE), "{\"kind\": ");
        UserException e = assertThrows(UserException.class, () -> Bundles.kind(tmp.toString(), new Configuration()));
        assertTrue(e.getMessage().contains(tmp.resolve(ModelBundle.PROVENANCE_FILE).toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    /** Reading it back runs code (a stand-in for a deserialization gadget). */
    static final class Payload implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean deserialized;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialized = true;
        }
    }

    @Test
    void aModelZipCarryingASerializedObjectExitsTwoAndIsNeverDeserialized(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("model");
        new ModelBundle(ImageClassifiers.create(ImageModelConfig.from(Configs.defaults()), new ImageShape(1, 28, 28), 2, 1),
                new LabelMap(List.of("a", "b")), null, Map.of()).save(dir);
        Path zip = dir.resolve(ModelBundle.MODEL_FILE);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(payload)) {
            out.writeObject(new Payload());
        }
        ByteArrayOutputStream crafted = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(zip)));
             ZipOutputStream out = new ZipOutputStream(crafted)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(in.readAllBytes());
            }
            out.putNextEntry(new ZipEntry("preprocessor.bin"));
            out.write(payload.toByteArray());
        }
        Files.write(zip, crafted.toByteArray());

        Payload.deserialized = false;
        assertOneLineExitTwo(NightjarCliTest.run("generate", "--model", dir.toString()), zip.toString(), "preprocessor.bin");
        assertFalse(Payload.deserialized, "the payload was deserialized");
    }

    private static NightjarCliTest.Run report(Throwable e) {
        StringWriter err = new StringWriter();
        int code = Nightjar.report(e, new PrintWriter(err, true));
        return new NightjarCliTest.Run(code, "", err.toString());
    }

    /** HDFS permission and quota errors, as they reach the CLI wrapped by Nightjar and by Spark. */
    @Test
    void hdfsPermissionAndQuotaErrorsExitTwoWithOneLineNamingThePath() {
        AccessControlException denied = new AccessControlException(
                "Permission denied: user=bob, access=WRITE, inode=\"/runs/a\":hdfs:supergroup:drwxr-xr-x");
        SparkException inTask = new SparkException("Job aborted due to stage failure: Task 0 failed\n\tat org.apache.spark.Foo.bar(Foo.scala:1)",
                new UncheckedIOException("cannot write hdfs://nn/runs/a/part-0", denied));
        assertOneLineExitTwo(report(inTask), "permission denied", "cannot write hdfs://nn/runs/a/part-0", "inode=\"/runs/a\"");

        RemoteException quota = new RemoteException("org.apache.hadoop.hdfs.protocol.DSQuotaExceededException",
                "The DiskSpace quota of /user/bob is exceeded: quota = 1024 B = 1 KB but diskspace consumed = 402653184 B = 384 MB");
        assertOneLineExitTwo(report(new UncheckedIOException("cannot write checkpoint hdfs://nn/user/bob/run", quota)),
                "storage quota exceeded", "hdfs://nn/user/bob/run", "quota of /user/bob");

        // a bug is still a bug
        NightjarCliTest.Run bug = report(new IllegalStateException("oops"));
        assertEquals(1, bug.code());
        assertTrue(bug.err().contains("internal error (a bug)"), bug.err());
    }

    /** Real failures of the local file system: a full device (/dev/full) and a directory nobody may write, not even root (/sys). */
    @Test
    void localDiskFullAndPermissionErrorsExitTwoWithOneLineNamingThePath() {
        assumeTrue(Files.isWritable(Path.of("/dev/full")) && Files.isDirectory(Path.of("/sys")), "Linux /dev/full and /sys");
        UncheckedIOException full = assertThrows(UncheckedIOException.class, () -> {
            try {
                Files.write(Path.of("/dev/full"), new byte[1 << 16]);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write /dev/full", e);
            }
        });
        assertOneLineExitTwo(report(full), "disk full", "/dev/full", "No space left on device");

        UncheckedIOException denied = assertThrows(UncheckedIOException.class,
                () -> HadoopFiles.writeString("/sys/nightjar-exit-codes-test", "x", new Configuration()));
        NightjarCliTest.Run r = report(denied);
        assertOneLineExitTwo(r, "/sys/nightjar-exit-codes-test");
        assertTrue(r.err().contains("permission denied") || r.err().contains("read-only file system"), r.err());
    }
}
