package dev.nightjar.data.image;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The files in a class-folder tree that Hadoop's input formats never hand to a job: those whose names
 * start with {@code .} or {@code _}. {@code prepare images} cannot read them through
 * {@code binaryFiles}, so it counts and names them as skipped instead of losing them without a word.
 *
 * @param count  how many there are
 * @param sample the first of them (at most the number asked for), as qualified paths
 */
record HiddenFiles(long count, List<String> sample) {
    static final String REASON = "hidden file: its name starts with '.' or '_', which Hadoop input formats skip; "
            + "rename it to include it";

    static boolean isHidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    /** The hidden files one level down: in each subfolder of {@code dir} (hidden subfolders included). */
    static HiddenFiles in(FileSystem fs, Path dir, int maxListed) {
        long count = 0;
        List<String> sample = new ArrayList<>();
        try {
            for (FileStatus folder : fs.listStatus(dir)) {
                if (!folder.isDirectory()) {
                    continue;
                }
                for (RemoteIterator<FileStatus> it = fs.listStatusIterator(folder.getPath()); it.hasNext(); ) {
                    FileStatus f = it.next();
                    if (f.isFile() && isHidden(f.getPath().getName())) {
                        count++;
                        if (sample.size() < maxListed) {
                            sample.add(f.getPath().toString());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return new HiddenFiles(count, List.copyOf(sample));
    }
}
