package dev.nightjar.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The file operations a lock needs, each one atomic, on a local disk ({@code file:}) and on HDFS:
 * create only if absent (O_EXCL on a local disk; {@code create} without overwrite, decided by the
 * NameNode, on HDFS), and rename only if the target is absent. Hadoop's local file system gives
 * neither ({@code create(overwrite=false)} is exists-then-open, and a failed rename falls back to a
 * copy), so local paths go through {@code java.nio}.
 */
final class LockFile {
    private final FileSystem fs;
    private final Configuration conf;
    private final boolean local;

    LockFile(FileSystem fs, Configuration conf) {
        this.fs = fs instanceof LocalFileSystem l ? l.getRaw() : fs; // no .crc side files
        this.conf = conf;
        this.local = "file".equals(fs.getUri().getScheme());
    }

    /** Creates {@code path} with this content; false when it exists. */
    boolean createExclusive(Path path, byte[] content) throws IOException {
        if (local) {
            try {
                Files.write(nio(path), content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(content);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            // HDFS may wrap the NameNode's refusal (AlreadyBeingCreatedException, a RemoteException)
            if (fs.exists(path)) {
                return false;
            }
            throw e;
        }
    }

    /** Renames {@code from} to {@code to}; false when {@code from} is gone or {@code to} exists (never replaces). */
    boolean renameIfAbsent(Path from, Path to) throws IOException {
        if (local) {
            try {
                Files.createLink(nio(to), nio(from)); // fails when the target exists
            } catch (java.nio.file.FileAlreadyExistsException | NoSuchFileException e) {
                return false;
            }
            try {
                Files.delete(nio(from));
                return true;
            } catch (NoSuchFileException e) {
                // another process renamed it away in between: the link is now the only copy, and theirs to judge
                Files.deleteIfExists(nio(to));
                return false;
            }
        }
        try {
            FileContext.getFileContext(fs.getUri(), conf).rename(from, to);
            return true;
        } catch (FileAlreadyExistsException | FileNotFoundException e) {
            return false;
        }
    }

    /** The file's bytes; FileNotFoundException when it is gone. */
    byte[] read(Path path) throws IOException {
        if (local) {
            try {
                return Files.readAllBytes(nio(path));
            } catch (NoSuchFileException e) {
                throw new FileNotFoundException(path.toString());
            }
        }
        try (var in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    /** Which file a path names at one moment, and when it was modified: two equal stats are the same file, unchanged. */
    record Stat(long modified, Object fileKey) {
    }

    /**
     * The file's stat, read in one step; FileNotFoundException when it is gone. Locally one {@code stat(2)}
     * with the inode as the file's key: Hadoop's local status reads existence, length and time one call each,
     * so a file replaced in between gives time 0 (a lock 56 years stale) with the new file's bytes. On HDFS one
     * NameNode call, without a key.
     */
    Stat stat(Path path) throws IOException {
        if (local) {
            try {
                BasicFileAttributes a = Files.readAttributes(nio(path), BasicFileAttributes.class);
                return new Stat(a.lastModifiedTime().toMillis(), a.fileKey());
            } catch (NoSuchFileException e) {
                throw new FileNotFoundException(path.toString());
            }
        }
        return new Stat(fs.getFileStatus(path).getModificationTime(), null);
    }

    void touch(Path path, long millis) throws IOException {
        fs.setTimes(path, millis, -1);
    }

    void delete(Path path) throws IOException {
        fs.delete(path, false);
    }

    /** Moves a file to a fresh name no one else uses; false when it is gone (another process moved it first). */
    boolean moveAside(Path from, Path freshName) throws IOException {
        if (local) {
            try {
                Files.move(nio(from), nio(freshName), StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (NoSuchFileException e) {
                return false;
            }
        }
        return fs.rename(from, freshName);
    }

    private java.nio.file.Path nio(Path p) {
        return Paths.get(fs.makeQualified(p).toUri());
    }
}
