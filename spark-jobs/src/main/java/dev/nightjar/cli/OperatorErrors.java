package dev.nightjar.cli;

import org.apache.hadoop.ipc.RemoteException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Failures the user or the operator fixes, not bugs: permission denied (HDFS or local), a full disk, an HDFS
 * quota, a read-only file system. The CLI reports them like user errors, exit 2 with one line.
 */
final class OperatorErrors {
    private OperatorErrors() {
    }

    /**
     * One line for the first operator failure in {@code e}'s cause chain, with the message of the nearest wrapper
     * that says what was being done (Nightjar's name the path); null when there is none.
     */
    static String describe(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (int i = 0; i < chain.size(); i++) {
            String kind = kind(chain.get(i));
            if (kind == null) {
                continue;
            }
            String detail = firstLine(chain.get(i).getMessage());
            for (int j = i - 1; j >= 0; j--) {
                Throwable w = chain.get(j);
                String m = firstLine(w.getMessage());
                if ((w instanceof IOException || w instanceof UncheckedIOException) && !m.isEmpty() && !m.contains(detail)) {
                    detail = m + ": " + detail;
                    break;
                }
            }
            return kind + ": " + detail;
        }
        return null;
    }

    /** What kind of operator failure {@code t} is, or null. */
    static String kind(Throwable t) {
        if (t instanceof RemoteException r) { // an HDFS server-side exception not unwrapped by the client
            return kindOfName(r.getClassName());
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied";
        }
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            String kind = kindOfName(c.getName());
            if (kind != null) {
                return kind;
            }
        }
        if (t instanceof IOException) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No space left on device")) {
                return "disk full";
            }
            if (m.contains("Disk quota exceeded")) {
                return "disk quota exceeded";
            }
            if (m.contains("Read-only file system")) {
                return "read-only file system";
            }
            if (t instanceof FileNotFoundException && m.endsWith("(Permission denied)")) { // java.io on a local file
                return "permission denied";
            }
        }
        return null;
    }

    private static String kindOfName(String className) {
        if (className == null) {
            return null;
        }
        if (className.equals("org.apache.hadoop.security.AccessControlException")
                || className.equals("org.apache.hadoop.fs.permission.AccessControlException")) {
            return "permission denied";
        }
        if (className.equals("org.apache.hadoop.fs.ClusterStorageCapacityExceededException") || className.endsWith("QuotaExceededException")) {
            return "storage quota exceeded";
        }
        return null;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").strip();
    }
}
