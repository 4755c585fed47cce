package dev.nightjar.nd4j;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * CPU settings DL4J leaves off (docs/stack.md, a measured 3x): oneDNN layer helpers on, ND4J's
 * OpenMP threads set to what this process should use, and OpenBLAS on one thread (its idle
 * worker spins and steals the other core). Call it in every JVM that trains: the driver,
 * each executor (the shard loader does) and tests. Idempotent.
 */
public final class NativeTuning {
    public static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    private static final Logger LOG = LoggerFactory.getLogger(NativeTuning.class);
    private static volatile int appliedThreads = -1;

    private NativeTuning() {
    }

    /** Turns the layer helpers on; must run before a network is created. */
    public static void enableHelpers() {
        System.setProperty(HELPERS_PROPERTY, "false");
    }

    /**
     * Enables helpers and sets ND4J's OpenMP threads.
     *
     * @param threads ND4J threads for this JVM; 0 = all available cores
     */
    public static synchronized void apply(int threads) {
        if (appliedThreads < 0) {
            NativeBuild.check(); // before ND4J loads: an unsupported build dies of SIGILL without a word
        }
        enableHelpers();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        if (appliedThreads == n) {
            return;
        }
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        try {
            Nd4j.factory().blas().setMaxThreads(1);
        } catch (RuntimeException e) {
            LOG.debug("cannot set BLAS threads on this backend", e);
        }
        if (appliedThreads < 0) {
            LOG.info("ND4J: {}; threads={}, oneDNN helpers={}", backendSummary(), n, helpersEnabled());
        }
        appliedThreads = n;
    }

    /** True when DL4J will attach oneDNN helpers to conv, pooling and batch-norm layers. */
    public static boolean helpersEnabled() {
        return !Boolean.parseBoolean(System.getProperty(HELPERS_PROPERTY, "true"))
                && org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled();
    }

    /** The backend, its CPU build ({@link NativeBuild}), its BLAS, and for CUDA the device this thread works on and how many there are. */
    public static String backendSummary() {
        Properties p = Nd4j.getExecutioner().getEnvironmentInformation();
        String s = "backend=" + p.getProperty("backend") + ", build=" + NativeBuild.describe() + ", blas=" + p.getProperty("blas.vendor");
        if ("CUDA".equalsIgnoreCase(p.getProperty("backend"))) {
            s += ", device " + Nd4j.getAffinityManager().getDeviceForCurrentThread() + " of " + Nd4j.getAffinityManager().getNumberOfDevices();
        }
        return s;
    }

    public static String backendName() {
        return String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    }
}
