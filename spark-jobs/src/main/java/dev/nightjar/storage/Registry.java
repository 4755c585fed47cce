package dev.nightjar.storage;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model registry on any Hadoop file system:
 * <pre>
 * REGISTRY/NAME/v0001/   model.zip tokenizer.json|labels.json provenance.json (the bundle, never rewritten)
 *                        registration.json (run, parent, dataset, weights id, time) and gate.json (the decision)
 * REGISTRY/NAME/LATEST   {"version": "v0002", "previous": "v0001", "by": "gate", "time": ...}
 * </pre>
 * A version appears whole: it is copied under a temporary name and renamed into place.
 * {@code LATEST} only moves by an atomic replace; readers see the old pointer or the new one.
 * Allocating a version number and moving LATEST happen under the name's registry-wide lock
 * ({@code REGISTRY/NAME/.nightjar.lock}, a {@link RunLock}), so concurrent registrations get distinct
 * numbers and LATEST never moves back to an older version through the gate.
 */
public final class Registry {
    public static final String LATEST = "LATEST";
    public static final String REGISTRATION_FILE = "registration.json";
    public static final String GATE_FILE = "gate.json";
    private static final Pattern REFERENCE = Pattern.compile("(.+)/([A-Za-z0-9._-]+)@(latest|v\\d{4,})");
    private static final Pattern VERSION = Pattern.compile("v\\d{4,}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** How long a registration waits for another one's registry lock. */
    static final java.time.Duration LOCK_WAIT = java.time.Duration.ofMinutes(2);

    private final String root;
    private final Configuration conf;
    private final FileSystem fs;

    public Registry(String root, Configuration conf) {
        this.root = HadoopFiles.qualify(root, conf);
        this.conf = conf;
        this.fs = HadoopFiles.fs(this.root, conf);
    }

    /** Whether a model argument is a registry reference (REGISTRY/NAME@latest or @vNNNN). */
    public static boolean isReference(String ref) {
        return REFERENCE.matcher(ref).matches();
    }

    /** The version directory a reference names; a clear error when the name or version is missing. */
    public static String resolve(String ref, Configuration conf) {
        Matcher m = REFERENCE.matcher(ref);
        if (!m.matches()) {
            throw new UserException("not a registry reference (REGISTRY/NAME@latest or REGISTRY/NAME@vNNNN): " + ref);
        }
        Registry r = new Registry(m.group(1), conf);
        String name = m.group(2);
        String version = m.group(3).equals("latest") ? r.latest(name) : m.group(3);
        if (version == null) {
            throw new UserException("registry " + r.root + " has no LATEST version of '" + name + "'"
                    + (r.versions(name).isEmpty() ? " (no versions at all; registered names: " + r.names() + ")" : ""));
        }
        if (!r.versions(name).contains(version)) {
            throw new UserException("registry " + r.root + " has no version " + version + " of '" + name + "' (it has " + r.versions(name) + ")");
        }
        return r.versionDir(name, version);
    }

    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UserException("a model name (--model-name) must be letters, digits, '.', '_' or '-', got " + name);
        }
        return name;
    }

    public String root() {
        return root;
    }

    public List<String> names() {
        return children(new Path(root), NAME);
    }

    /** Versions of a model, oldest first. */
    public List<String> versions(String name) {
        return children(new Path(root, name), VERSION);
    }

    public String versionDir(String name, String version) {
        return new Path(new Path(root, name), version).toString();
    }

    /** The version LATEST points at, or null when there is none. */
    public String latest(String name) {
        Map<?, ?> pointer = latestPointer(name);
        if (pointer == null) {
            return null;
        }
        Object version = pointer.get("version");
        if (!(version instanceof String v) || !VERSION.matcher(v).matches()) {
            throw new UserException("corrupt " + new Path(new Path(root, name), LATEST) + ": its \"version\" is " + version
                    + ", not a version name like v0001");
        }
        return v;
    }

    /** LATEST as written: version, previous, by, time; null when there is none. */
    public Map<?, ?> latestPointer(String name) {
        String file = new Path(new Path(root, name), LATEST).toString();
        return HadoopFiles.exists(file, conf) ? HadoopFiles.readJson(file, Map.class, conf) : null;
    }

    /**
     * Points LATEST at a version with one atomic replace, recording the version it replaces and why
     * (a promote or rollback by hand: it may move LATEST back). Under the registry-wide lock of the name.
     */
    @SuppressWarnings("try") // the lock is held, not used, for the body's duration
    public void moveLatest(String name, String version, String by) {
        try (RunLock lock = lock(name)) {
            writeLatest(name, version, by);
        }
    }

    /**
     * Points LATEST at a version only when it is newer than the one LATEST points at (or there is none):
     * the gate's move. Checked and moved under the registry-wide lock of the name, so two registrations
     * finishing together never move LATEST back.
     *
     * @return the version LATEST points at afterwards
     */
    @SuppressWarnings("try") // the lock is held, not used, for the body's duration
    public String advanceLatest(String name, String version, String by) {
        try (RunLock lock = lock(name)) {
            String latest = latest(name);
            if (latest != null && number(latest) >= number(version)) {
                return latest;
            }
            writeLatest(name, version, by);
            return version;
        }
    }

    private void writeLatest(String name, String version, String by) {
        if (!versions(name).contains(version)) {
            throw new UserException("registry " + root + " has no version " + version + " of '" + name + "' (it has " + versions(name) + ")");
        }
        Map<String, Object> pointer = new LinkedHashMap<>();
        pointer.put("version", version);
        pointer.put("previous", latest(name));
        pointer.put("by", by);
        pointer.put("time", Instant.now().toString());
        HadoopFiles.writeString(new Path(new Path(root, name), LATEST).toString(), Json.write(pointer) + "\n", conf);
    }

    /**
     * The registry-wide lock of a name ({@code REGISTRY/NAME/.nightjar.lock}), held for the short steps that
     * read and change what all registrations share: allocating a version number, moving LATEST. A job waits
     * for it up to {@link #LOCK_WAIT}.
     */
    private RunLock lock(String name) {
        return RunLock.acquireWaiting(new Path(root, name).toString(), conf, RunLock.DEFAULT_STALE, LOCK_WAIT);
    }

    public Map<String, Object> registration(String name, String version) {
        return readJson(versionDir(name, version) + "/" + REGISTRATION_FILE);
    }

    /** The version's gate.json, or null before the gate has decided. */
    public Map<String, Object> gate(String name, String version) {
        String file = versionDir(name, version) + "/" + GATE_FILE;
        return HadoopFiles.exists(file, conf) ? readJson(file) : null;
    }

    public void writeGate(String name, String version, Map<String, Object> gate) {
        HadoopFiles.writeString(versionDir(name, version) + "/" + GATE_FILE, Json.write(gate) + "\n", conf);
    }

    /** The version already made from this run's model (same run directory, same weights), or null. */
    public String findRegistered(String name, String runDir, String weights) {
        for (String v : versions(name)) {
            Map<String, Object> r = registration(name, v);
            if (runDir.equals(r.get("run")) && weights.equals(r.get("weights"))) {
                return v;
            }
        }
        return null;
    }

    /**
     * Copies a model bundle into the next version: under a temporary name with its
     * registration.json, then renamed into place under the registry lock. Returns the new version.
     */
    @SuppressWarnings("try") // the lock is held, not used, for the body's duration
    public String add(String name, String modelDir, Map<String, Object> registration) {
        checkName(name);
        Path nameDir = new Path(root, name);
        Path tmp = new Path(nameDir, ".incoming-" + java.util.UUID.randomUUID());
        try {
            fs.mkdirs(nameDir);
            if (!FileUtil.copy(fs, new Path(modelDir), fs, tmp, false, conf)) {
                throw new IOException("copy failed: " + modelDir + " -> " + tmp);
            }
            try (RunLock lock = lock(name)) {
                return allocate(name, nameDir, tmp, registration);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register " + modelDir + " as '" + name + "' in " + root, e);
        } finally {
            try {
                fs.delete(tmp, true);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Renames the copied version into the next number; called under the registry lock. */
    private String allocate(String name, Path nameDir, Path tmp, Map<String, Object> registration) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            List<String> existing = versions(name);
            String version = String.format("v%04d", existing.isEmpty() ? 1 : number(existing.get(existing.size() - 1)) + 1);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", name);
            r.put("version", version);
            r.putAll(registration);
            HadoopFiles.writeString(new Path(tmp, REGISTRATION_FILE).toString(), Json.write(r) + "\n", conf);
            try {
                // unlike FileSystem.rename, this fails when the target exists (another job took the number)
                FileContext.getFileContext(fs.getUri(), conf).rename(tmp, new Path(nameDir, version));
                return version;
            } catch (FileAlreadyExistsException taken) {
                // try the next number
            }
        }
        throw new IOException("could not allocate a version number under " + nameDir);
    }

    /** "NAME@vNNNN" when a directory is a version of this registry, else null. */
    public String versionOf(String dir) {
        if (dir == null) {
            return null;
        }
        Path p = new Path(HadoopFiles.qualify(dir, conf));
        Path parent = p.getParent();
        if (parent != null && parent.getParent() != null && new Path(root).equals(parent.getParent())
                && VERSION.matcher(p.getName()).matches()) {
            return parent.getName() + "@" + p.getName();
        }
        return null;
    }

    public static int number(String version) {
        return Integer.parseInt(version.substring(1));
    }

    private Map<String, Object> readJson(String file) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = HadoopFiles.readJson(file, LinkedHashMap.class, conf);
        return m;
    }

    private List<String> children(Path dir, Pattern pattern) {
        try {
            if (!fs.exists(dir)) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (FileStatus s : fs.listStatus(dir)) {
                if (s.isDirectory() && pattern.matcher(s.getPath().getName()).matches()) {
                    names.add(s.getPath().getName());
                }
            }
            names.sort(pattern == VERSION ? java.util.Comparator.comparingInt(Registry::number) : java.util.Comparator.naturalOrder());
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
