package dev.nightjar.train;

import dev.nightjar.data.HadoopFiles;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code RUN_DIR/checkpoints/} on any Hadoop file system: each checkpoint is a directory
 * {@code ckpt-EEEEE-SSSSSS} (the epoch and segment to run next) holding {@code model.zip} (DL4J,
 * updater state included) and {@code cursor.json} (the trainer's position and the SHA-256 of
 * model.zip). It is written under a temporary name and renamed into place, so a crash mid-write
 * leaves the previous checkpoints as they were; only the newest {@code keep} are kept. Reading
 * takes the newest checkpoint that loads and matches its checksum, and names each one it skips.
 *
 */
public final class Checkpoints {
    public static final String DIR = "checkpoints";
    public static final String MODEL = "model.zip";
    public static final String CURSOR = "cursor.json";
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    /**
     * Where the trainer stands: the next segment to run.
     *
     * @param epoch        epoch of the next segment
     * @param segment      index of the next segment in that epoch's plan
     * @param examplesSeen examples trained on so far
     * @param seed         the shard-order seed the plan was made with
     * @param modelSha256  checksum of model.zip
     */
    public record Cursor(int epoch, int segment, long examplesSeen, long seed, String modelSha256) {
    }

    /** A checkpoint read back. */
    public record Checkpoint(String dir, Cursor cursor, MultiLayerNetwork network) {
    }

    private final FileSystem fs;
    private final Path root;
    private final int keep;

    public Checkpoints(String runDir, Configuration conf, int keep) {
        this.fs = HadoopFiles.fs(runDir, conf);
        this.root = new Path(runDir, DIR);
        this.keep = keep;
    }

    public static String name(int epoch, int segment) {
        return String.format("ckpt-%05d-%06d", epoch, segment);
    }

    /** Writes a checkpoint atomically, then removes all but the newest {@code keep}. */
    public String write(MultiLayerNetwork net, int epoch, int segment, long examplesSeen, long seed) {
        Path target = new Path(root, name(epoch, segment));
        Path tmp = new Path(root, "." + target.getName() + ".tmp-" + java.util.UUID.randomUUID());
        try {
            ByteArrayOutputStream model = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, model, true);
            byte[] bytes = model.toByteArray();
            fs.mkdirs(tmp);
            write(new Path(tmp, MODEL), bytes);
            Cursor cursor = new Cursor(epoch, segment, examplesSeen, seed, sha256(bytes));
            write(new Path(tmp, CURSOR), (Json.write(cursor) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename failed: " + tmp + " -> " + target);
            }
        } catch (IOException e) {
            try {
                fs.delete(tmp, true);
            } catch (IOException ignored) {
                // the temporary directory is ignored by readers and removed by the next write's clean-up
            }
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
        prune();
        return target.toString();
    }

    /** Removes every checkpoint (a fresh start). */
    public void deleteAll() {
        try {
            fs.delete(root, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }

    /** Checkpoint directories, oldest first (temporary ones excluded). */
    public List<String> list() {
        try {
            if (!fs.exists(root)) {
                return List.of();
            }
            FileStatus[] all = fs.listStatus(root);
            return Arrays.stream(all).filter(FileStatus::isDirectory).map(s -> s.getPath().getName())
                    .filter(n -> n.startsWith("ckpt-")).sorted().map(n -> new Path(root, n).toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** The newest checkpoint that reads back whole, or null; each one skipped is named in a warning. */
    public Checkpoint latestValid() {
        List<String> dirs = new ArrayList<>(list());
        dirs.sort(Comparator.reverseOrder());
        for (String dir : dirs) {
            try {
                Cursor cursor = Json.read(read(new Path(dir, CURSOR)), Cursor.class);
                byte[] model = fs.open(new Path(dir, MODEL)).readAllBytes();
                if (!sha256(model).equals(cursor.modelSha256())) {
                    throw new IOException("model.zip does not match its checksum (truncated or changed)");
                }
                return new Checkpoint(dir, cursor, ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model), true));
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping checkpoint {}: {}", dir, e.getMessage());
            }
        }
        return null;
    }

    /** Keeps the newest {@code keep}; also removes what a killed write left under a temporary name. */
    private void prune() {
        try {
            for (FileStatus s : fs.listStatus(root)) {
                if (s.getPath().getName().startsWith(".ckpt-")) {
                    LOG.info("removing {}, left by an interrupted checkpoint write", s.getPath());
                    fs.delete(s.getPath(), true);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean up {}: {}", root, e.getMessage());
        }
        List<String> dirs = list();
        for (int i = 0; i < dirs.size() - keep; i++) {
            try {
                fs.delete(new Path(dirs.get(i)), true);
            } catch (IOException e) {
                LOG.warn("cannot remove old checkpoint {}: {}", dirs.get(i), e.getMessage());
            }
        }
    }

    private void write(Path path, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = fs.create(path, true)) {
            out.write(bytes);
        }
    }

    private String read(Path path) throws IOException {
        try (var in = fs.open(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
