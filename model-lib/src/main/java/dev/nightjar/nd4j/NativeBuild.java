package dev.nightjar.nd4j;

import dev.nightjar.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of ND4J's CPU builds this class path carries ({@code nd4j-native}'s classifier: the AVX2 or the AVX-512
 * one, with oneDNN or without), and a check, before ND4J loads, that this processor can run it: the AVX-512
 * build on a processor without AVX-512 dies of an illegal instruction with no message. The build is chosen when
 * the jar is built ({@code -Dnd4j.classifier}; {@code deploy/nightjar} picks it from the processor's flags).
 */
public final class NativeBuild {
    private static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";
    private static final List<String> CLASSIFIERS = List.of("linux-x86_64-onednn-avx512", "linux-x86_64-avx512",
            "linux-x86_64-onednn-avx2", "linux-x86_64-avx2", "linux-x86_64-onednn", "linux-x86_64");
    /** What the AVX-512 builds are compiled for (Skylake-SP and later): all of these. */
    static final List<String> AVX512_FLAGS = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private NativeBuild() {
    }

    /** The CPU builds on the class path, e.g. [linux-x86_64-onednn-avx2]; empty on CUDA. */
    public static List<String> onClassPath() {
        ClassLoader cl = NativeBuild.class.getClassLoader();
        List<String> found = new ArrayList<>();
        for (String c : CLASSIFIERS) {
            if (cl.getResource(BINDINGS + c + "/libjnind4jcpu.so") != null) {
                found.add(c);
            }
        }
        return found;
    }

    /** This processor's flags from /proc/cpuinfo; empty where that cannot be read (then nothing is checked). */
    public static Set<String> cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return new TreeSet<>(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: nothing to check against
        }
        return Set.of();
    }

    /** Why a processor with these flags cannot run {@code build}, or null when it can (or the flags are unknown). */
    static String mismatch(String build, Set<String> flags) {
        if (flags.isEmpty()) {
            return null;
        }
        List<String> need = build.endsWith("avx512") ? AVX512_FLAGS : build.endsWith("avx2") ? List.of("avx2", "fma") : List.of();
        List<String> missing = need.stream().filter(f -> !flags.contains(f)).toList();
        if (missing.isEmpty()) {
            return null;
        }
        return "this jar carries ND4J's " + build + " build, and this processor lacks " + String.join(", ", missing)
                + ": build the jar with the AVX2 one (NIGHTJAR_NATIVE=avx2 deploy/nightjar ..., or mvn package"
                + " -Dnd4j.classifier=linux-x86_64-onednn-avx2)";
    }

    /** Fails, before ND4J loads, when this processor cannot run a CPU build on the class path. */
    public static void check() {
        Set<String> flags = cpuFlags();
        for (String build : onClassPath()) {
            String why = mismatch(build, flags);
            if (why != null) {
                throw new UserException(why);
            }
        }
    }

    /**
     * The CPU build ND4J loaded, for logs and provenance: its classifier (the folder JavaCPP extracted
     * {@code libjnind4jcpu.so} from, when several are on the class path), or "none" (CUDA, or not loaded yet).
     */
    public static String describe() {
        for (String lib : org.bytedeco.javacpp.Loader.getLoadedLibraries().values()) {
            Path p = lib == null ? null : Path.of(lib);
            if (p != null && p.getFileName().toString().startsWith("libjnind4jcpu") && p.getParent() != null) {
                return p.getParent().getFileName().toString();
            }
        }
        return "none";
    }
}
