package dev.nightjar.data;

import dev.nightjar.UserException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
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
import java.util.UUID;

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
     * Moves a completed directory into place: an existing target is moved aside first and
     * removed only after the new one is in place.
     */
    public static void publishDir(String completed, String target, Configuration conf) {
        FileSystem fs = fs(target, conf);
        Path t = new Path(target);
        try {
            Path old = null;
            if (fs.exists(t)) {
                old = new Path(t.getParent(), "." + t.getName() + ".old-" + UUID.randomUUID());
                if (!fs.rename(t, old)) {
                    throw new IOException("cannot move the old " + t + " aside");
                }
            }
            if (!fs.rename(new Path(completed), t)) {
                throw new IOException("rename failed: " + completed + " -> " + t);
            }
            if (old != null) {
                fs.delete(old, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + target, e);
        }
    }

    /**
     * After a crash inside {@link #publishDir}, between moving the old target aside and moving the
     * new one in, the target is missing: this moves the old one back.
     *
     * @return whether a directory was restored
     */
    public static boolean recoverDir(String target, Configuration conf) {
        FileSystem fs = fs(target, conf);
        Path t = new Path(target);
        try {
            if (fs.exists(t) || t.getParent() == null || !fs.exists(t.getParent())) {
                return false;
            }
            String prefix = "." + t.getName() + ".old-";
            for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(t.getParent())) {
                if (s.getPath().getName().startsWith(prefix)) {
                    return fs.rename(s.getPath(), t);
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
