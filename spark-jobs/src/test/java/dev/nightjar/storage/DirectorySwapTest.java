package dev.nightjar.storage;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Network;
import dev.nightjar.util.AtomicFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Directories replaced whole (keep-best's {@code best/}, model bundles, published outputs): a kill at
 * any step of the swap leaves one whole directory that the next reader finds; recovery picks the
 * newest whole directory moved aside; a rename never nests a directory inside an existing one.
 */
class DirectorySwapTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path tmp;

    private static Network net(double value) {
        MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2).build()).build());
        n.init();
        n.params().assign(value);
        return Network.of(n);
    }

    /** checkpoints/best/ of a run where epoch {@code epoch} was best (its weights all equal to the epoch). */
    private Path bestOf(String run, int epoch) {
        Checkpoints c = new Checkpoints(tmp.resolve(run).toString(), CONF, 2);
        c.writeBest(net(epoch), epoch, Map.of("accuracy", 0.5 + epoch / 100.0));
        return tmp.resolve(run).resolve(Checkpoints.DIR).resolve(Checkpoints.BEST);
    }

    private static void move(Path from, Path to) throws Exception {
        Files.createDirectories(to.getParent());
        Files.move(from, to);
    }

    private static Path aside(Path target) {
        return Path.of(HadoopFiles.asideName(new org.apache.hadoop.fs.Path(target.toString())).toString());
    }

    /**
     * The states a kill leaves at each step of replacing best/ (epoch 1) by a new one (epoch 2): the reader
     * gets a whole best epoch every time, and the next checkpoint write clears what was left.
     */
    @Test
    void aBestSwapInterruptedAtEachStepLeavesAWholeBestEpoch() throws Exception {
        for (int step = 0; step < 4; step++) {
            String run = "run-" + step;
            Path best = bestOf(run, 1);
            Path fresh = bestOf("new-" + step, 2);
            Path tmpDir = best.resolveSibling("." + Checkpoints.BEST + ".tmp-" + step);
            move(fresh, tmpDir); // step 0: the new one is written under a temporary name
            int expected = 1;
            if (step >= 1) { // step 1: the old one is moved aside
                Path old = aside(best);
                move(best, old);
                if (step >= 2) { // step 2: the new one is renamed in
                    move(tmpDir, best);
                    expected = 2;
                }
                if (step == 3) { // step 3: removing the old one is cut short
                    Files.delete(old.resolve(Checkpoints.MODEL));
                }
            }
            Checkpoints c = new Checkpoints(tmp.resolve(run).toString(), CONF, 2);
            Checkpoints.Best b = c.readBest();
            assertNotNull(b, "step " + step + ": a best epoch survives");
            assertEquals(expected, b.info().epoch(), "step " + step);
            assertEquals(expected, b.network().params().maxNumber().intValue(), "step " + step + ": its own weights");
            c.write(net(0), 3, 0, 0, CheckpointsTest.PLAN);
            try (Stream<Path> s = Files.list(best.getParent())) {
                List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
                assertTrue(left.isEmpty(), "step " + step + ": the next checkpoint write clears the remains " + left);
            }
        }
    }

    /** The real swap: after writing best twice there is one best/, the newest, and nothing aside. */
    @Test
    void writingBestAgainReplacesItWhole() {
        Checkpoints c = new Checkpoints(tmp.resolve("run").toString(), CONF, 2);
        c.writeBest(net(1), 1, Map.of("accuracy", 0.5));
        c.writeBest(net(2), 2, Map.of("accuracy", 0.6));
        assertEquals(2, c.readBest().info().epoch());
        assertEquals(List.of(Checkpoints.BEST), list(tmp.resolve("run").resolve(Checkpoints.DIR)));
    }

    /**
     * Several saves of a bundle killed at different steps leave several directories aside, some of them
     * half removed: recovery restores the newest whole one, whatever order the file system lists them in.
     */
    @Test
    void bundleRecoveryRestoresTheNewestWholeDirectoryMovedAside() throws Exception {
        for (boolean hadoop : new boolean[] {true, false}) {
            Path model = tmp.resolve(hadoop ? "hadoop" : "local").resolve("model");
            Files.createDirectories(model.getParent());
            long now = System.currentTimeMillis();
            // (age in minutes, whole?): the newest whole one is 3 minutes old
            int[][] leftovers = {{9, 1}, {1, 0}, {7, 1}, {3, 1}, {2, 0}, {5, 1}, {8, 1}, {4, 0}};
            for (int[] l : leftovers) {
                Path d = model.resolveSibling(".model.old-" + String.format("%013d", now - l[0] * 60_000L) + "-" + java.util.UUID.randomUUID());
                Files.createDirectories(d);
                Files.writeString(d.resolve("age"), String.valueOf(l[0]));
                if (l[1] == 1) {
                    Files.writeString(d.resolve(ModelBundle.MODEL_FILE), "weights");
                }
                Files.writeString(d.resolve(ModelBundle.PROVENANCE_FILE), "{}");
            }
            Files.createDirectories(model.resolveSibling(".model.old-" + java.util.UUID.randomUUID())); // an older Nightjar's
            if (hadoop) {
                Bundles.resolve(model.toString(), CONF);
            } else {
                assertTrue(AtomicFiles.recoverDir(model, d -> Files.isRegularFile(d.resolve(ModelBundle.MODEL_FILE))
                        && Files.isRegularFile(d.resolve(ModelBundle.PROVENANCE_FILE))));
            }
            assertEquals("3", Files.readString(model.resolve("age")), (hadoop ? "HadoopFiles" : "AtomicFiles") + ": the newest whole one");
        }
    }

    /** Hadoop's own rename moves a directory into an existing one; publishing refuses instead and nests nothing. */
    @Test
    void renamingOntoAnExistingDirectoryFailsInsteadOfNesting() throws Exception {
        Path target = tmp.resolve("data");
        Path completed = tmp.resolve(".data.tmp-1");
        Files.createDirectories(target);
        Files.writeString(target.resolve("manifest.json"), "theirs");
        Files.createDirectories(completed);
        Files.writeString(completed.resolve("manifest.json"), "mine");

        UserException e = assertThrows(UserException.class, () -> HadoopFiles.moveIntoPlace(completed.toString(), target.toString(), CONF));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals(List.of("manifest.json"), list(target), "nothing nested inside the existing directory");
        assertEquals("theirs", Files.readString(target.resolve("manifest.json")));
        assertEquals("mine", Files.readString(completed.resolve("manifest.json")), "this job's output is left where it was");

        // what the plain rename did (the reason for the check): it nests the new directory inside the old one
        FileSystem fs = HadoopFiles.fs(target.toString(), CONF);
        assertTrue(fs.rename(new org.apache.hadoop.fs.Path(completed.toString()), new org.apache.hadoop.fs.Path(target.toString())));
        assertTrue(Files.isDirectory(target.resolve(completed.getFileName())), "Hadoop's rename nested it");
    }

    @Test
    void publishingReplacesAnExistingDirectoryWholeAndLeavesNothingAside() throws Exception {
        Path target = tmp.resolve("scores");
        for (String content : new String[] {"first", "second"}) {
            String completed = HadoopFiles.tempSibling(target.toString());
            HadoopFiles.writeString(completed + "/summary.json", content, CONF);
            HadoopFiles.publishDir(completed, target.toString(), CONF);
        }
        assertEquals("second", Files.readString(target.resolve("summary.json")));
        assertEquals(List.of("scores"), list(tmp));
    }

    /** A second job writing the same published output (prepare, score) refuses while the first holds its lock. */
    @Test
    void aSecondJobPublishingTheSameOutputRefuses() {
        String out = tmp.resolve("out").toString();
        RunLock.whilePublishing(out, CONF, () -> {
            RunLock.Held e = assertThrows(RunLock.Held.class, () -> RunLock.whilePublishing(out, CONF, () -> 1));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            return null;
        });
        assertEquals(1, RunLock.whilePublishing(out, CONF, () -> 1), "released afterwards");
        assertFalse(Files.exists(tmp.resolve(".out" + RunLock.FILE)));
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
