package dev.nightjar.storage;

import dev.nightjar.data.HadoopFiles;
import dev.nightjar.model.Network;
import dev.nightjar.train.PlanFingerprint;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code RUN_DIR/checkpoints/} on any Hadoop file system: each checkpoint is a directory
 * {@code ckpt-EEEEE-SSSSSS} (the epoch and segment to run next) holding {@code model.zip} (DL4J,
 * updater state included) and {@code cursor.json} (the trainer's position, the fingerprint of the
 * segment plan it is a position in, and the SHA-256 of model.zip). It is written under a temporary name and renamed into place, so a crash mid-write
 * leaves the previous checkpoints as they were; only the newest {@code keep} are kept. Reading
 * takes the newest checkpoint that loads and matches its checksum, and names each one it skips.
 *
 */
public final class Checkpoints {
    public static final String DIR = "checkpoints";
    public static final String MODEL = "model.zip";
    public static final String CURSOR = "cursor.json";
    /** {@code checkpoints/best/}: the best validated epoch's weights so far, for {@code train.keep-best} across a resume. */
    public static final String BEST = "best";
    public static final String BEST_FILE = "best.json";
    private static final String TMP = ".tmp-";
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    /**
     * Where the trainer stands: the next segment to run.
     *
     * @param epoch        epoch of the next segment
     * @param segment      index of the next segment in that epoch's plan
     * @param examplesSeen examples trained on so far
     * @param seed         the shard-order seed the plan was made with
     * @param modelSha256  checksum of model.zip
     * @param plan         what the segment plan was made of (null in a checkpoint written before plans were recorded)
     */
    public record Cursor(int epoch, int segment, long examplesSeen, long seed, String modelSha256, PlanFingerprint plan) {
    }

    /** A checkpoint read back. */
    public record Checkpoint(String dir, Cursor cursor, Network network) {
    }

    /**
     * The best validated epoch so far.
     *
     * @param epoch       the epoch (0-based) whose weights these are
     * @param validation  its validation metrics, main one first
     * @param modelSha256 checksum of model.zip
     */
    public record BestInfo(int epoch, java.util.LinkedHashMap<String, Double> validation, String modelSha256) {
    }

    /** The best epoch read back: its record and its weights. */
    public record Best(BestInfo info, Network network) {
    }

    private final FileSystem fs;
    private final Configuration conf;
    private final Path root;
    private final int keep;

    public Checkpoints(String runDir, Configuration conf, int keep) {
        this.fs = HadoopFiles.fs(runDir, conf);
        this.conf = conf;
        this.root = new Path(runDir, DIR);
        this.keep = keep;
    }

    public static String name(int epoch, int segment) {
        return String.format("ckpt-%05d-%06d", epoch, segment);
    }

    /** Writes a checkpoint of a position in {@code plan} atomically, then removes all but the newest {@code keep}. */
    public String write(Network net, int epoch, int segment, long examplesSeen, PlanFingerprint plan) {
        byte[] model = net.toBytes(true);
        Path target = writeDir(name(epoch, segment), model, new Cursor(epoch, segment, examplesSeen, plan.seed(), sha256(model), plan), CURSOR);
        prune();
        return target.toString();
    }

    /** Replaces {@code checkpoints/best/} atomically with these weights (no updater state) and metrics. */
    public void writeBest(Network net, int epoch, Map<String, Double> validation) {
        byte[] model = net.toBytes(false);
        writeDir(BEST, model, new BestInfo(epoch, new java.util.LinkedHashMap<>(validation), sha256(model)), BEST_FILE);
    }

    /** The best epoch written by {@link #writeBest}, or null when there is none or it does not read back whole (with a warning). */
    public Best readBest() {
        Path dir = new Path(root, BEST);
        try {
            recoverBest();
            if (!fs.exists(dir)) {
                return null;
            }
            BestInfo info = Json.read(read(new Path(dir, BEST_FILE)), BestInfo.class);
            byte[] model = readVerified(new Path(dir, MODEL), info.modelSha256());
            return new Best(info, Network.fromBytes(model, false, new Path(dir, MODEL).toString()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the best epoch's weights in {}: {}", dir, e.getMessage());
            return null;
        }
    }

    /**
     * A {@link #writeBest} killed between moving the old {@code best/} aside and renaming the new one in
     * leaves no {@code best/}: this moves back the newest whole one moved aside.
     */
    private void recoverBest() {
        Path dir = new Path(root, BEST);
        if (HadoopFiles.recoverDir(dir.toString(), conf, d -> HadoopFiles.exists(d + "/" + BEST_FILE, conf)
                && HadoopFiles.exists(d + "/" + MODEL, conf))) {
            LOG.warn("restored {} from before an interrupted write", dir);
        }
    }

    /** Writes model.zip and a JSON record under a temporary name, then swaps it in as {@code name}, replacing what was there. */
    private Path writeDir(String name, byte[] model, Object record, String recordFile) {
        Path target = new Path(root, name);
        Path tmp = new Path(root, "." + name + TMP + java.util.UUID.randomUUID());
        try {
            fs.mkdirs(tmp);
            write(new Path(tmp, MODEL), model);
            write(new Path(tmp, recordFile), (Json.write(record) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // an atomic swap: the old directory is moved aside, the new one renamed in, then the old one removed;
            // a kill in between leaves one whole directory that readBest (recoverBest) finds
            HadoopFiles.publishDir(tmp.toString(), target.toString(), conf);
            return target;
        } catch (IOException | RuntimeException e) {
            try {
                fs.delete(tmp, true);
            } catch (IOException ignored) {
                // the temporary directory is ignored by readers and removed by the next write's clean-up
            }
            throw e instanceof IOException io ? new UncheckedIOException("cannot write checkpoint " + target, io) : (RuntimeException) e;
        }
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
                byte[] model = readVerified(new Path(dir, MODEL), cursor.modelSha256());
                return new Checkpoint(dir, cursor, Network.fromBytes(model, true, new Path(dir, MODEL).toString()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping checkpoint {}: {}", dir, e.getMessage());
            }
        }
        return null;
    }

    /**
     * Keeps the newest {@code keep}; also removes what a killed write left under a temporary name, and
     * directories moved aside ({@code .NAME.old-*}) once {@code NAME} is in place again.
     */
    private void prune() {
        try {
            for (FileStatus s : fs.listStatus(root)) {
                String n = s.getPath().getName();
                int old = n.indexOf(".old-");
                if (n.startsWith(".") && (n.contains(TMP) || old > 1 && fs.exists(new Path(root, n.substring(1, old))))) {
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

    private byte[] readVerified(Path path, String sha256) throws IOException {
        byte[] bytes;
        try (var in = fs.open(path)) {
            bytes = in.readAllBytes();
        }
        if (!sha256(bytes).equals(sha256)) {
            throw new IOException(path.getName() + " does not match its checksum (truncated or changed)");
        }
        return bytes;
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
