package dev.nightjar.storage;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.util.AtomicFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Model bundles on any Hadoop file system (local paths, {@code file://}, {@code hdfs://}), so
 * model-lib stays free of Hadoop: a bundle on a remote file system is copied through a local
 * temporary directory. A model reference is a bundle directory or a registry reference
 * ({@code REGISTRY/NAME@latest}, {@code REGISTRY/NAME@v0003}), see {@link Registry}. A bundle holds a
 * network ({@code model.zip}) or a Spark MLlib pipeline ({@value #PIPELINE_DIR}/, kind {@value #PIPELINE_KIND}).
 */
public final class Bundles {
    /** The fitted MLlib pipeline of a pipeline bundle. */
    public static final String PIPELINE_DIR = "pipeline";
    public static final String PIPELINE_KIND = "mllib-pipeline";

    private Bundles() {
    }

    /**
     * The bundle directory a reference names, fully qualified.
     *
     * @throws UserException when it is not a model bundle
     */
    public static String resolve(String ref, Configuration conf) {
        String dir = Registry.isReference(ref) ? Registry.resolve(ref, conf) : HadoopFiles.qualify(ref, conf);
        recover(dir, conf);
        if (!HadoopFiles.exists(dir, conf)) {
            throw new UserException("model directory not found: " + ref);
        }
        if (!HadoopFiles.exists(dir + "/" + ModelBundle.MODEL_FILE, conf) && !isPipeline(dir, conf)) {
            throw new UserException("not a model bundle (no " + ModelBundle.MODEL_FILE + " and no MLlib " + PIPELINE_DIR + "/): " + ref);
        }
        return dir;
    }

    /**
     * A save killed half-way leaves the previous bundle aside and none in place: this moves back the
     * newest whole one ({@link HadoopFiles#recoverDir}). Nothing happens when the bundle is in place.
     *
     * @return whether a bundle was restored
     */
    public static boolean recover(String dir, Configuration conf) {
        return HadoopFiles.recoverDir(dir, conf, d -> isWhole(d, conf));
    }

    /** Whether a directory holds a whole bundle: a network or a pipeline, and provenance.json (written last). */
    static boolean isWhole(String dir, Configuration conf) {
        return (HadoopFiles.exists(dir + "/" + ModelBundle.MODEL_FILE, conf) || isPipeline(dir, conf))
                && HadoopFiles.exists(dir + "/" + ModelBundle.PROVENANCE_FILE, conf);
    }

    /** Whether a bundle directory holds an MLlib pipeline instead of a network. */
    public static boolean isPipeline(String dir, Configuration conf) {
        return HadoopFiles.exists(dir + "/" + PIPELINE_DIR + "/metadata", conf);
    }

    /**
     * The kind a bundle's provenance names: {@value #PIPELINE_KIND} for a pipeline, else its family's name
     * (or {@code word-vectors}); null when the directory holds no provenance.
     */
    public static String kind(String dir, Configuration conf) {
        if (isPipeline(dir, conf)) {
            return PIPELINE_KIND;
        }
        String file = dir + "/" + ModelBundle.PROVENANCE_FILE;
        if (!HadoopFiles.exists(file, conf)) {
            return null;
        }
        Object kind = HadoopFiles.readJson(file, java.util.Map.class, conf).get("kind");
        return kind == null ? null : kind.toString();
    }

    /** Loads the bundle a reference names. */
    public static ModelBundle load(String ref, Configuration conf) {
        String dir = resolve(ref, conf);
        if (isPipeline(dir, conf)) {
            throw new UserException(ref + " is an MLlib pipeline (nightjar baseline), not a network: score and compare read it, "
                    + "training and evaluate do not");
        }
        FileSystem fs = HadoopFiles.fs(dir, conf);
        if (isLocal(fs)) {
            return ModelBundle.load(Paths.get(new Path(dir).toUri()));
        }
        java.nio.file.Path local = null;
        try {
            local = Files.createTempDirectory("nightjar-bundle");
            java.nio.file.Path copy = local.resolve("model");
            fs.copyToLocalFile(false, new Path(dir), new Path(copy.toUri()), true);
            return ModelBundle.load(copy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the model bundle " + dir, e);
        } finally {
            if (local != null) {
                AtomicFiles.deleteRecursively(local);
            }
        }
    }

    /** Saves a bundle to a temporary sibling of {@code dir}, then renames it into place. */
    public static void save(ModelBundle bundle, String dir, Configuration conf) {
        String target = HadoopFiles.qualify(dir, conf);
        FileSystem fs = HadoopFiles.fs(target, conf);
        if (isLocal(fs)) {
            bundle.save(Paths.get(new Path(target).toUri()));
            return;
        }
        String tmp = HadoopFiles.tempSibling(target);
        java.nio.file.Path local = null;
        try {
            local = Files.createTempDirectory("nightjar-bundle");
            java.nio.file.Path staged = local.resolve("model");
            bundle.save(staged);
            fs.copyFromLocalFile(false, true, new Path(staged.toUri()), new Path(tmp));
            HadoopFiles.publishDir(tmp, target, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model bundle " + target, e);
        } finally {
            HadoopFiles.delete(tmp, conf);
            if (local != null) {
                AtomicFiles.deleteRecursively(local);
            }
        }
    }

    /**
     * How scores name a model: a registered version is its model name and version (vNNNN); any
     * other bundle is its directory's name and the id of its weights.
     */
    public record Identity(String name, String version) {
    }

    public static Identity identity(String dir, Configuration conf) {
        Path p = new Path(dir);
        if (HadoopFiles.exists(dir + "/" + Registry.REGISTRATION_FILE, conf)) {
            return new Identity(p.getParent().getName(), p.getName());
        }
        return new Identity(p.getName(), weightsId(dir, conf));
    }

    /**
     * The first 12 hex digits of the SHA-256 of the bundle's model.zip, or of its pipeline's files in
     * path order: the same weights, the same id.
     */
    public static String weightsId(String dir, Configuration conf) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (isPipeline(dir, conf)) {
                FileSystem fs = HadoopFiles.fs(dir, conf);
                java.util.List<Path> files = new java.util.ArrayList<>();
                for (org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(new Path(dir, PIPELINE_DIR), true);
                     it.hasNext(); ) {
                    Path f = it.next().getPath();
                    if (!f.getName().startsWith(".") && !f.getName().startsWith("_")) {
                        files.add(f);
                    }
                }
                files.sort(java.util.Comparator.comparing(Path::toString));
                for (Path f : files) {
                    digest(md, f.toString(), conf);
                }
            } else {
                digest(md, dir + "/" + ModelBundle.MODEL_FILE, conf);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundle " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digest(MessageDigest md, String file, Configuration conf) throws IOException {
        try (InputStream in = HadoopFiles.fs(file, conf).open(new Path(file))) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
    }

    static boolean isLocal(FileSystem fs) {
        return "file".equals(fs.getUri().getScheme());
    }
}
