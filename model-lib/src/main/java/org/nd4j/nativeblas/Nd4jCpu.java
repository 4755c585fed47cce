package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim, see docs/stack.md and {@link dev.nightjar.nd4j.NativeTuning}.
 *
 * <p>DL4J 1.0.0-M2/M2.1 ({@code BaseMKLDNNHelper.mklDnnEnabled()}) looks up, by reflection,
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}. That class moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the method was renamed
 * {@code isUseONEDNN()}, so the lookup fails silently and every oneDNN layer helper is dropped
 * (a measured 3x CPU loss). This class answers the old lookup from the new environment. On
 * backends without that class (CUDA) it reports false, which is what DL4J expects there.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private static final String CPU_ENVIRONMENT = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName(CPU_ENVIRONMENT, true, Nd4jCpu.class.getClassLoader());
                Object instance = env.getMethod("getInstance").invoke(null);
                Method isUse = env.getMethod("isUseONEDNN");
                return (Boolean) isUse.invoke(instance);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
