package dev.nightjar.data.text;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a list of inputs (files, directories or globs; local or hdfs://), as Spark's file
 * sources list them: a directory's files at any depth, except those under a name starting with
 * {@code _} or {@code .} (Hadoop's hidden files, such as {@code _SUCCESS}; skipped with a warning); each
 * file once, in order.
 */
final class InputFiles {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InputFiles.class);
    private InputFiles() {
    }

    static List<String> list(List<String> inputs, Configuration conf) {
        java.util.Set<String> files = new java.util.LinkedHashSet<>();
        List<String> skipped = new ArrayList<>();
        for (String in : inputs) {
            try {
                FileSystem fs = HadoopFiles.fs(in, conf);
                FileStatus[] found = fs.globStatus(new Path(in));
                if (found == null || found.length == 0) {
                    throw new UserException("input not found: " + in);
                }
                for (FileStatus s : found) {
                    if (!s.isDirectory()) {
                        if (hidden(s.getPath().getName())) {
                            skipped.add(s.getPath().toString());
                        } else {
                            add(files, s.getPath());
                        }
                        continue;
                    }
                    List<String> inside = new ArrayList<>();
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(s.getPath(), true);
                    String root = s.getPath().toUri().getPath();
                    while (it.hasNext()) {
                        Path p = it.next().getPath();
                        if (!hidden(p.toUri().getPath().substring(root.length()))) {
                            inside.add(p.toString());
                        } else {
                            skipped.add(p.toString());
                        }
                    }
                    inside.stream().sorted().forEach(f -> add(files, new Path(f)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + in, e);
            }
        }
        if (!skipped.isEmpty()) {
            LOG.warn("{} hidden files (a name starting with _ or .) are not read, as Hadoop and Spark skip them: {}", skipped.size(),
                    skipped.size() <= 10 ? skipped : skipped.subList(0, 10) + " ...");
        }
        if (files.isEmpty()) {
            throw new UserException("no file to read in " + inputs + (skipped.isEmpty() ? "" : ": only hidden ones (a name starting with _ or .)"));
        }
        return List.copyOf(files);
    }

    private static void add(java.util.Set<String> files, Path p) {
        files.add(p.toString());
    }

    private static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith("_") || part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** A file's bytes, decompressed when its name says so (.gz, .bz2, ...), as Hadoop's text input reads it. */
    static InputStream open(String file, Configuration conf) throws IOException {
        Path p = new Path(file);
        InputStream in = p.getFileSystem(conf).open(p);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
        return codec == null ? in : codec.createInputStream(in);
    }
}
