package dev.nightjar.data;

import dev.nightjar.UserException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** Small file operations on any Hadoop file system (local paths, file://, hdfs://). */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    public static FileSystem fs(String uri, Configuration conf) {
        try {
            return new Path(uri).getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of " + uri, e);
        }
    }

    /** A fully qualified URI (file:/abs/path or hdfs://nn/path), so executors resolve it the same way. */
    public static String qualify(String uri, Configuration conf) {
        Path p = new Path(uri);
        return fs(uri, conf).makeQualified(p).toString();
    }

    public static boolean exists(String uri, Configuration conf) {
        try {
            return fs(uri, conf).exists(new Path(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isDirectory(String uri, Configuration conf) {
        try {
            return fs(uri, conf).getFileStatus(new Path(uri)).isDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String readString(String uri, Configuration conf) {
        Path p = new Path(uri);
        try (InputStream in = fs(uri, conf).open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.FileNotFoundException e) {
            throw new UserException("missing file: " + uri);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + uri, e);
        }
    }

    /** Reads a JSON file; content that does not parse is a {@link UserException} naming it. */
    public static <T> T readJson(String uri, Class<T> type, Configuration conf) {
        return dev.nightjar.util.Json.read(readString(uri, conf), type, uri);
    }

    /**
     * Writes a temporary sibling, then renames it over the target in one atomic step (a rename
     * with overwrite on HDFS, an atomic move on a local disk), so readers see the old content or
     * the new, never a missing or partial file.
     */
    public static void writeString(String uri, String content, Configuration conf) {
        Path target = new Path(uri);
        FileSystem fs = fs(uri, conf);
        if (fs instanceof LocalFileSystem local) {
            fs = local.getRaw(); // no .crc side files: the move below must carry the whole file
        }
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            replace(fs, tmp, target, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + uri, e);
        } finally {
            try {
                fs.delete(tmp, false);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static void replace(FileSystem fs, Path tmp, Path target, Configuration conf) throws IOException {
        if ("file".equals(fs.getUri().getScheme())) {
            java.nio.file.Path t = Paths.get(fs.makeQualified(target).toUri());
            Files.deleteIfExists(t.resolveSibling("." + t.getFileName() + ".crc")); // a checksum of the old content
            Files.move(Paths.get(fs.makeQualified(tmp).toUri()), t, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            FileContext.getFileContext(fs.getUri(), conf).rename(tmp, target, Options.Rename.OVERWRITE);
        }
    }

    public static void delete(String uri, Configuration conf) {
        try {
            fs(uri, conf).delete(new Path(uri), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + uri, e);
        }
    }

    /**
     * Moves a completed directory into place: an existing target is moved aside first (to
     * {@link #asideName}) and removed only after the new one is in place. A target that appears in
     * between (another job publishing the same directory) is an error, never a directory nested
     * inside it.
     */
    public static void publishDir(String completed, String target, Configuration conf) {
        FileSystem fs = fs(target, conf);
        Path t = new Path(target);
        try {
            Path old = null;
            if (fs.exists(t)) {
                old = asideName(t);
                if (!fs.rename(t, old)) {
                    throw new IOException("cannot move the old " + t + " aside");
                }
            }
            moveIntoPlace(completed, target, conf);
            if (old != null) {
                fs.delete(old, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + target, e);
        }
    }

    /**
     * Renames a directory to {@code target}, which must not exist. Hadoop's {@code rename} moves a
     * directory <em>into</em> an existing one (HDFS) or falls back to copying into it (the local file
     * system); this refuses instead: atomically on HDFS (the NameNode's rename without overwrite), and on
     * a local disk by {@code rename(2)}, which never replaces a non-empty directory.
     *
     * @throws UserException when the target exists, naming it
     */
    public static void moveIntoPlace(String completed, String target, Configuration conf) {
        FileSystem fs = fs(target, conf);
        Path t = new Path(target);
        String exists = target + " appeared while this job was writing it (another job writing the same output?); "
                + "this job's output is left in " + completed;
        try {
            if ("file".equals(fs.getUri().getScheme())) {
                java.nio.file.Path to = Paths.get(fs.makeQualified(t).toUri());
                if (Files.exists(to)) {
                    throw new UserException(exists);
                }
                Files.move(Paths.get(fs.makeQualified(new Path(completed)).toUri()), to, StandardCopyOption.ATOMIC_MOVE);
            } else {
                FileContext.getFileContext(fs.getUri(), conf).rename(new Path(completed), t);
            }
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException
                 | java.nio.file.DirectoryNotEmptyException e) {
            throw new UserException(exists, e);
        } catch (IOException e) {
            throw new UncheckedIOException("rename failed: " + completed + " -> " + target, e);
        }
    }

    /**
     * Where {@link #publishDir} moves an existing target aside: {@code .NAME.old-MILLIS-UUID}, the time
     * zero-padded so that names sort by age.
     */
    public static Path asideName(Path target) {
        return new Path(target.getParent(), "." + target.getName() + ".old-" + String.format("%013d", System.currentTimeMillis())
                + "-" + UUID.randomUUID());
    }

    /** The time in a name made by {@link #asideName}; -1 for one without (made by an older Nightjar). */
    public static long asideTime(String name) {
        int at = name.lastIndexOf(".old-");
        String rest = at < 0 ? "" : name.substring(at + 5);
        int dash = rest.indexOf('-');
        try {
            return dash == 13 ? Long.parseLong(rest.substring(0, 13)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@link #recoverDir(String, Configuration, Predicate)} taking any non-empty directory as complete. */
    public static boolean recoverDir(String target, Configuration conf) {
        return recoverDir(target, conf, dir -> {
            try {
                return fs(dir, conf).listStatus(new Path(dir)).length > 0;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * After a crash inside {@link #publishDir}, between moving the old target aside and moving the
     * new one in, the target is missing: this moves back the newest directory moved aside (by the time
     * in its name; those from an older Nightjar, without one, come last, newest modified first) that
     * {@code complete} accepts. A directory whose removal was cut short fails that check and is passed
     * over. Nothing happens when the target exists.
     *
     * @param complete whether a directory (its URI) holds a whole output
     * @return whether a directory was restored
     */
    public static boolean recoverDir(String target, Configuration conf, Predicate<String> complete) {
        FileSystem fs = fs(target, conf);
        Path t = new Path(target);
        try {
            if (fs.exists(t) || t.getParent() == null || !fs.exists(t.getParent())) {
                return false;
            }
            String prefix = "." + t.getName() + ".old-";
            List<FileStatus> aside = new ArrayList<>();
            for (FileStatus s : fs.listStatus(t.getParent())) {
                if (s.isDirectory() && s.getPath().getName().startsWith(prefix)) {
                    aside.add(s);
                }
            }
            aside.sort(Comparator.comparingLong((FileStatus s) -> asideTime(s.getPath().getName()))
                    .thenComparingLong(FileStatus::getModificationTime).thenComparing(s -> s.getPath().getName()).reversed());
            for (FileStatus s : aside) {
                if (complete.test(s.getPath().toString())) {
                    moveIntoPlace(s.getPath().toString(), target, conf);
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + target, e);
        }
    }

    /** A temporary directory name next to the target (not created). */
    public static String tempSibling(String target) {
        Path t = new Path(target);
        return new Path(t.getParent(), "." + t.getName() + ".tmp-" + UUID.randomUUID()).toString();
    }
}
