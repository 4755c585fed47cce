package dev.nightjar.demo;

import dev.nightjar.UserException;
import dev.nightjar.data.image.IdxFile;
import dev.nightjar.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@code nightjar fetch-samples}: sample corpora from Debian's packages ({@code apt-get download}
 * + {@code dpkg-deb -x}, no root needed). Fashion-MNIST from {@code dataset-fashion-mnist} (or
 * /usr/share/datasets/fashion-mnist when installed); English text from {@code python3-pattern}
 * (polarity corpora), {@code fortunes} and {@code jargon-text}. Idempotent; every file is checked.
 * When apt does not know a package because its package lists are empty or stale (a fresh machine or
 * container), it runs {@code apt-get update} once, as root or through {@code sudo -n}, and tries
 * again; a process that can do neither stops with a message saying what to run.
 */
public final class FetchSamples {
    public static final String PACKAGE = "dataset-fashion-mnist";
    public static final Path INSTALLED = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String FASHION_DIR = "fashion-mnist";
    /** Folder-safe class names, in label order. */
    public static final List<String> FASHION_LABELS = List.of("tshirt_top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle_boot");
    private static final Map<String, Integer> EXPECTED = Map.of(
            "train-images-idx3-ubyte.gz", 60_000, "train-labels-idx1-ubyte.gz", 60_000,
            "t10k-images-idx3-ubyte.gz", 10_000, "t10k-labels-idx1-ubyte.gz", 10_000);
    private static final Logger LOG = LoggerFactory.getLogger(FetchSamples.class);

    private FetchSamples() {
    }

    /** Returns the Fashion-MNIST directory under {@code dir}, fetching it if needed. */
    public static Path fashionMnist(Path dir) {
        dir = dir.toAbsolutePath();
        Path target = dir.resolve(FASHION_DIR);
        if (valid(target)) {
            LOG.info("Fashion-MNIST already present in {}", target);
            return target;
        }
        Path work = null;
        Path tmp = null;
        try {
            Path source = INSTALLED;
            if (!(Files.isDirectory(INSTALLED) && valid(INSTALLED))) {
                Files.createDirectories(dir);
                work = Files.createTempDirectory(dir, ".fetch-");
                source = unpack(work, PACKAGE).resolve("usr/share/datasets/fashion-mnist");
            }
            tmp = AtomicFiles.tempSibling(target);
            for (String f : EXPECTED.keySet()) {
                Files.copy(source.resolve(f), tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(tmp.resolve("labels.txt"), String.join("\n", FASHION_LABELS) + "\n");
            if (!valid(tmp)) {
                throw new UserException("the Fashion-MNIST files from " + source + " failed their checks");
            }
            AtomicFiles.publishDir(tmp, target);
            LOG.info("Fashion-MNIST ready in {} (from {})", target, work == null ? INSTALLED : "Debian package " + PACKAGE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy Fashion-MNIST into " + target, e);
        } finally {
            if (work != null) {
                AtomicFiles.deleteRecursively(work);
            }
            if (tmp != null) {
                AtomicFiles.deleteRecursively(tmp); // left over only when a copy or check failed
            }
        }
    }

    /** True when every file is present, has the right IDX header and count, and decompresses fully. */
    static boolean valid(Path dir) {
        for (Map.Entry<String, Integer> e : EXPECTED.entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                return false;
            }
            try (InputStream raw = Files.newInputStream(f); DataInputStream in = new DataInputStream(IdxFile.maybeGunzip(raw))) {
                IdxFile.Header h = IdxFile.readHeader(in, f.toString());
                boolean images = e.getKey().contains("images");
                if (h.count() != e.getValue() || (h.magic() == IdxFile.IMAGES_MAGIC) != images
                        || (images && (h.rows() != 28 || h.cols() != 28))) {
                    LOG.warn("{}: unexpected header {}", f, h);
                    return false;
                }
                long body = (long) h.count() * h.itemBytes();
                IdxFile.skipFully(in, body);
                if (in.read() != -1) {
                    LOG.warn("{}: trailing bytes after {} items", f, h.count());
                    return false;
                }
            } catch (IOException | UserException ex) {
                LOG.warn("{}: {}", f, ex.getMessage());
                return false;
            }
        }
        return true;
    }

    /** Downloads and unpacks a package into {@code work}; returns the root of its files. */
    private static Path unpack(Path work, String pkg) {
        try {
            Path dir = Files.createDirectories(work.resolve(pkg));
            download(dir, pkg);
            Path deb;
            try (var s = Files.list(dir)) {
                deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new UserException("apt-get download " + pkg + " produced no .deb"));
            }
            Path root = work.resolve(pkg + "-root");
            run(dir, debian(pkg), "dpkg-deb", "-x", deb.toString(), root.toString());
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The English text samples. */
    public record TextSamples(Path dir) {
        /** 1,500 full movie reviews (Pang and Lee polarity v2.0), CSV without header: label (1/-1), text. */
        public Path reviews() {
            return dir.resolve(REVIEWS);
        }

        /** 4,000 movie-review sentences (Pang and Lee sentence polarity), CSV without header: label (1/-1), text. */
        public Path sentences() {
            return dir.resolve("sentences-en.csv");
        }

        /** 200 German Amazon reviews with polarity, CSV without header: label, text. */
        public Path germanReviews() {
            return dir.resolve("reviews-de.csv");
        }

        /** Fortune-cookie files, "%"-separated, one file per topic. */
        public Path fortunes() {
            return dir.resolve("fortunes");
        }

        /** The Jargon File, gzipped plain text. */
        public Path jargon() {
            return dir.resolve("jargon.txt.gz");
        }
    }

    public static final String TEXT_DIR = "text";
    private static final String REVIEWS = "reviews-en.csv";
    private static final String PATTERN_CORPORA = "usr/share/doc/python3-pattern/test/corpora/";
    /** file in the samples folder → (package, path inside it, minimum size in bytes) */
    private static final Map<String, String[]> TEXT_FILES = Map.of(
            REVIEWS, new String[] {"python3-pattern", PATTERN_CORPORA + "polarity-en-pang&lee1.csv", "5000000"},
            "sentences-en.csv", new String[] {"python3-pattern", PATTERN_CORPORA + "polarity-en-pang&lee2.csv", "400000"},
            "reviews-de.csv", new String[] {"python3-pattern", PATTERN_CORPORA + "polarity-de-amazon.csv", "200000"},
            "jargon.txt.gz", new String[] {"jargon-text", "usr/share/doc/jargon-text/jargon.txt.gz", "500000"});
    private static final String FORTUNES_PATH = "usr/share/games/fortunes";

    /** Returns the English text samples under {@code dir}, fetching them if needed. */
    public static TextSamples text(Path dir) {
        dir = dir.toAbsolutePath();
        Path target = dir.resolve(TEXT_DIR);
        if (validText(target)) {
            LOG.info("text samples already present in {}", target);
            return new TextSamples(target);
        }
        Path work = null;
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            work = Files.createTempDirectory(dir, ".fetch-");
            tmp = AtomicFiles.tempSibling(target);
            Map<String, Path> roots = new java.util.HashMap<>();
            for (String pkg : List.of("python3-pattern", "jargon-text", "fortunes")) {
                roots.put(pkg, unpack(work, pkg));
            }
            for (Map.Entry<String, String[]> f : TEXT_FILES.entrySet()) {
                Files.copy(roots.get(f.getValue()[0]).resolve(f.getValue()[1]), tmp.resolve(f.getKey()));
            }
            Path fortunes = Files.createDirectories(tmp.resolve("fortunes"));
            try (var files = Files.list(roots.get("fortunes").resolve(FORTUNES_PATH))) {
                for (Path f : files.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && !f.getFileName().toString().contains(".")).toList()) {
                    Files.copy(f, fortunes.resolve(f.getFileName()));
                }
            }
            if (!validText(tmp)) {
                throw new UserException("the text samples from Debian's packages failed their checks");
            }
            AtomicFiles.publishDir(tmp, target);
            LOG.info("text samples ready in {}", target);
            return new TextSamples(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the text samples into " + target, e);
        } finally {
            if (work != null) {
                AtomicFiles.deleteRecursively(work);
            }
            if (tmp != null) {
                AtomicFiles.deleteRecursively(tmp);
            }
        }
    }

    /** Every file present and at least its expected size; at least 30 fortune files. */
    static boolean validText(Path dir) {
        try {
            for (Map.Entry<String, String[]> f : TEXT_FILES.entrySet()) {
                Path p = dir.resolve(f.getKey());
                if (!Files.isRegularFile(p) || Files.size(p) < Long.parseLong(f.getValue()[2])) {
                    return false;
                }
            }
            Path fortunes = dir.resolve("fortunes");
            try (var files = Files.list(fortunes)) {
                return files.count() >= 30;
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Set once this process has run apt-get update: a package still unknown after one update is not worth another. */
    private static final AtomicBoolean UPDATED = new AtomicBoolean();

    /** {@code apt-get download pkg} into {@code dir}; on a fresh machine, {@code apt-get update} first when it can. */
    private static void download(Path dir, String pkg) {
        Result r = exec(dir, debian(pkg), "apt-get", "download", pkg);
        if (r.code() == 0) {
            return;
        }
        boolean updated = false;
        if (listsMissing(r.out()) && !UPDATED.get()) {
            Optional<List<String>> update = aptUpdate(r.out(), "root".equals(System.getProperty("user.name")), FetchSamples::sudoWorks);
            if (update.isPresent() && UPDATED.compareAndSet(false, true)) {
                String cmd = String.join(" ", update.get());
                LOG.warn("apt does not know {}: its package lists are empty or stale; running {} and trying again", pkg, cmd);
                Result u = exec(dir, debian(pkg), update.get().toArray(String[]::new));
                if (u.code() != 0) {
                    throw new UserException("apt cannot find " + pkg + " (the package lists are empty or stale) and `" + cmd
                            + "` failed (exit " + u.code() + "): " + u.out().strip());
                }
                updated = true;
                r = exec(dir, debian(pkg), "apt-get", "download", pkg);
                if (r.code() == 0) {
                    return;
                }
            }
        }
        if (listsMissing(r.out())) {
            throw new UserException(updated
                    ? "apt cannot find " + pkg + " even after apt-get update: its sources (/etc/apt/sources.list, "
                            + "/etc/apt/sources.list.d/) need Debian's main component: " + r.out().strip()
                    : "apt cannot find " + pkg + ": the package lists are empty or stale. "
                            + "Run `apt-get update` as root, then run fetch-samples again.");
        }
        throw new UserException("apt-get download " + pkg + " failed (exit " + r.code() + "): " + r.out().strip());
    }

    /**
     * True when apt-get's output says the package lists do not know the package: empty lists (a fresh
     * machine or container) or lists that no longer match the archive (a 404 for the version they name).
     */
    public static boolean listsMissing(String aptOutput) {
        return aptOutput.contains("Unable to locate package") || aptOutput.contains("has no installation candidate")
                || aptOutput.contains("Can't select candidate")
                || (aptOutput.contains("Failed to fetch") && aptOutput.contains("404"));
    }

    /**
     * The command that refreshes the package lists after {@code apt-get download} failed with {@code aptOutput}:
     * {@code apt-get update} as root, {@code sudo -n apt-get update} where sudo works without a password; empty when
     * the failure is something else or the process cannot update (then the caller keeps its error).
     */
    public static Optional<List<String>> aptUpdate(String aptOutput, boolean root, BooleanSupplier sudoWorks) {
        if (!listsMissing(aptOutput)) {
            return Optional.empty();
        }
        if (root) {
            return Optional.of(List.of("apt-get", "update", "-qq"));
        }
        if (sudoWorks.getAsBoolean()) {
            return Optional.of(List.of("sudo", "-n", "apt-get", "update", "-qq"));
        }
        return Optional.empty();
    }

    /** True when {@code sudo -n true} succeeds: sudo is installed and needs no password here. */
    private static boolean sudoWorks() {
        try {
            Process p = new ProcessBuilder("sudo", "-n", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Result(int code, String out) {
    }

    private static String debian(String pkg) {
        return "the samples come from Debian's " + pkg + " package (apt-get and dpkg-deb are needed)";
    }

    /**
     * Runs a command in {@code dir}; a non-zero exit is a user error with its output.
     *
     * @param why what the command is for, said when it is not installed
     */
    static void run(Path dir, String why, String... command) {
        Result r = exec(dir, why, command);
        if (r.code() != 0) {
            throw new UserException(String.join(" ", command) + " failed (exit " + r.code() + "): " + r.out().strip());
        }
    }

    private static Result exec(Path dir, String why, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UserException(command[0] + " is not available: " + why);
        }
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new UserException(String.join(" ", cmd) + " timed out");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted");
        }
        return new Result(p.exitValue(), out);
    }
}
