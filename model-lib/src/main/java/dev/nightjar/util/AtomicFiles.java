package dev.nightjar.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** Write to a temporary path, then rename: a partly written output never replaces a good one. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void writeString(Path file, String content) {
        writeBytes(file, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBytes(Path file, byte[] content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
            try {
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A fresh temporary directory next to {@code target}, for building a directory before {@link #publishDir}. */
    public static Path tempSibling(Path target) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            return Files.createDirectory(parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory next to " + target, e);
        }
    }

    /**
     * Moves a completed directory into place. An existing target is moved aside first and deleted
     * only after the new one is in place.
     */
    public static void publishDir(Path completed, Path target) {
        try {
            Path old = null;
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(completed, target, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                deleteRecursively(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + completed + " to " + target, e);
        }
    }

    /**
     * After a crash inside {@link #publishDir}, between moving the old target aside and moving the
     * new one in, the target is missing: this moves the old one back. Nothing happens otherwise.
     *
     * @return whether a directory was restored
     */
    public static boolean recoverDir(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (Files.exists(target) || parent == null || !Files.isDirectory(parent)) {
            return false;
        }
        String prefix = "." + target.getFileName() + ".old-";
        try (Stream<Path> s = Files.list(parent)) {
            Path old = s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElse(null);
            if (old == null) {
                return false;
            }
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + target, e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
