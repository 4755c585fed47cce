package dev.nightjar.jobs;

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
import java.util.concurrent.TimeUnit;

/**
 * {@code nightjar fetch-samples}: Fashion-MNIST from Debian's {@code dataset-fashion-mnist}
 * ({@code apt-get download} + {@code dpkg-deb -x}, no root needed), or from
 * /usr/share/datasets/fashion-mnist when installed. Idempotent; every file is checked (IDX
 * magic, counts, complete gzip stream).
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
                source = download(work);
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

    /** Downloads and unpacks the package into {@code work}; returns the data folder inside it. */
    private static Path download(Path work) {
        try {
            run(work, "apt-get", "download", PACKAGE);
            Path deb;
            try (var s = Files.list(work)) {
                deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new UserException("apt-get download " + PACKAGE + " produced no .deb"));
            }
            Path root = work.resolve("root");
            run(work, "dpkg-deb", "-x", deb.toString(), root.toString());
            return root.resolve("usr/share/datasets/fashion-mnist");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UserException(command[0] + " is not available: Fashion-MNIST comes from Debian's " + PACKAGE
                    + " package (apt-get and dpkg-deb are needed)");
        }
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new UserException(String.join(" ", cmd) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted");
        }
        if (p.exitValue() != 0) {
            if (out.contains("Unable to locate package") || out.contains("has no installation candidate")
                    || out.contains("Can't select candidate")) {
                throw new UserException("apt cannot find " + PACKAGE + ": the package lists are empty or stale. "
                        + "Run `apt-get update` as root, then run fetch-samples again.");
            }
            throw new UserException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out.strip());
        }
    }
}
