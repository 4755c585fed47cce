package dev.nightjar.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
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
     * Moves a completed directory into place. An existing target is moved aside first (to
     * {@code .NAME.old-MILLIS-UUID}, the time zero-padded so that names sort by age) and deleted only
     * after the new one is in place. A target that appears in between is an error (rename(2) never
     * replaces a non-empty directory), never a directory nested inside it.
     */
    public static void publishDir(Path completed, Path target) {
        try {
            Path old = null;
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-" + String.format("%013d", System.currentTimeMillis())
                        + "-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            if (Files.exists(target)) {
                throw new java.nio.file.FileAlreadyExistsException(target.toString());
            }
            Files.move(completed, target, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                deleteRecursively(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + completed + " to " + target, e);
        }
    }

    /** {@link #recoverDir(Path, Predicate)} taking any non-empty directory as complete. */
    public static boolean recoverDir(Path target) {
        return recoverDir(target, dir -> {
            try (Stream<Path> s = Files.list(dir)) {
                return s.findAny().isPresent();
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * After a crash inside {@link #publishDir}, between moving the old target aside and moving the
     * new one in, the target is missing: this moves back the newest directory moved aside (by the time
     * in its name; those without one, from an older Nightjar, come last, newest modified first) that
     * {@code complete} accepts, passing over one whose removal was cut short. Nothing happens when the
     * target exists.
     *
     * @return whether a directory was restored
     */
    public static boolean recoverDir(Path target, Predicate<Path> complete) {
        Path parent = target.toAbsolutePath().getParent();
        if (Files.exists(target) || parent == null || !Files.isDirectory(parent)) {
            return false;
        }
        String prefix = "." + target.getFileName() + ".old-";
        try (Stream<Path> s = Files.list(parent)) {
            List<Path> aside = new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).toList());
            Map<Path, Long> modified = new HashMap<>();
            for (Path p : aside) {
                modified.put(p, Files.getLastModifiedTime(p).toMillis());
            }
            aside.sort(Comparator.comparingLong((Path p) -> asideTime(p.getFileName().toString(), prefix)).thenComparingLong(modified::get)
                    .thenComparing(p -> p.getFileName().toString()).reversed());
            for (Path old : aside) {
                if (complete.test(old)) {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + target, e);
        }
    }

    /** The time in an aside name {@code PREFIX MILLIS-UUID}; -1 for one without. */
    private static long asideTime(String name, String prefix) {
        String rest = name.substring(prefix.length());
        try {
            return rest.indexOf('-') == 13 ? Long.parseLong(rest.substring(0, 13)) : -1;
        } catch (NumberFormatException e) {
            return -1;
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
