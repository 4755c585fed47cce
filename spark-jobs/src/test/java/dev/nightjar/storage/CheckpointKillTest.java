package dev.nightjar.storage;

import dev.nightjar.model.Network;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real kill -9 of a process that writes checkpoints back to back: the previous checkpoint
 * stays loadable and is the one a resume picks, and the next write clears what the killed one left.
 */
class CheckpointKillTest {

    /** The process that gets killed: writes checkpoint i with every parameter set to i, forever. */
    public static final class Writer {
        public static void main(String[] args) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).list()
                    .layer(new DenseLayer.Builder().nIn(1000).nOut(1500).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1500).nOut(10).build()).build());
            net.init();
            Checkpoints checkpoints = new Checkpoints(args[0], new Configuration(), 2);
            for (int i = 0; ; i++) {
                net.params().assign(i);
                System.out.println("writing " + i);
                checkpoints.write(Network.of(net), 0, i, i, CheckpointsTest.PLAN);
                System.out.println("written " + i);
            }
        }
    }

    @Test
    void aKillDuringACheckpointWriteLeavesThePreviousOneLoadable(@TempDir Path tmp) throws Exception {
        boolean killedMidWrite = false;
        for (int attempt = 0; attempt < 4 && !killedMidWrite; attempt++) {
            Path run = tmp.resolve("run-" + attempt);
            int lastWritten = killDuringWrite(run, 3);
            Path root = run.resolve(Checkpoints.DIR);
            killedMidWrite = writingTo(root);
            Checkpoints checkpoints = new Checkpoints(run.toString(), new Configuration(), 2);
            Checkpoints.Checkpoint c = checkpoints.latestValid();
            assertNotNull(c, "a loadable checkpoint survives");
            int segment = c.cursor().segment();
            assertTrue(segment == lastWritten || segment == lastWritten + 1,
                    "the newest whole checkpoint is the last one reported written (" + lastWritten + ") or, if the kill came after its rename, the next: " + segment);
            assertEquals(segment, c.network().params().minNumber().intValue(), "its weights are those written with it");
            assertEquals(segment, c.network().params().maxNumber().intValue());
            if (killedMidWrite) {
                checkpoints.write(c.network(), 0, segment + 1, segment + 1, CheckpointsTest.PLAN);
                try (Stream<Path> s = Files.list(root)) {
                    assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".ckpt-")), "the next write clears the remains");
                }
            }
        }
        assertTrue(killedMidWrite, "in four tries no kill landed inside a write");
    }

    private static boolean writingTo(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(".ckpt-"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Starts a writer, kills it with SIGKILL while write number {@code n} puts its files on disk; returns the last one it finished. */
    private static int killDuringWrite(Path run, int n) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"), Writer.class.getName(), run.toString())
                .redirectErrorStream(true).start();
        int lastWritten = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("written ")) {
                    lastWritten = Integer.parseInt(line.substring(8));
                }
                if (line.equals("writing " + n)) {
                    // most of a write is serialising in memory; strike once its files are appearing on disk
                    Path root = run.resolve(Checkpoints.DIR);
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (!writingTo(root) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                    break;
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        assertTrue(lastWritten >= n - 1, "the writer reached write " + n + " (last written " + lastWritten + ")");
        return lastWritten;
    }
}
