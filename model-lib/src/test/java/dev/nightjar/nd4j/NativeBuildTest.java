package dev.nightjar.nd4j;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeBuildTest {
    private static final Set<String> EPYC_AVX2 = Set.of("sse4_2", "avx", "avx2", "fma", "bmi2");

    @Test
    void theTestsRunOnTheProjectsDefaultBuildAndItIsNamedInTheBackendSummary() {
        // nd4j-native brings its plain build too; JavaCPP must pick the oneDNN AVX2 one
        assertEquals(List.of("linux-x86_64-onednn-avx2", "linux-x86_64"), NativeBuild.onClassPath());
        NativeTuning.apply(1);
        assertEquals("linux-x86_64-onednn-avx2", NativeBuild.describe());
        assertTrue(NativeTuning.backendSummary().contains("build=linux-x86_64-onednn-avx2"), NativeTuning.backendSummary());
    }

    @Test
    void theAvx512BuildOnAProcessorWithoutAvx512IsRefusedNamingWhatIsMissingAndTheWayOut() {
        String why = NativeBuild.mismatch("linux-x86_64-onednn-avx512", EPYC_AVX2);
        assertTrue(why.contains("linux-x86_64-onednn-avx512") && why.contains("avx512f") && why.contains("avx512vl")
                && why.contains("NIGHTJAR_NATIVE=avx2"), why);
        Set<String> partial = new TreeSet<>(EPYC_AVX2);
        partial.add("avx512f"); // AVX-512 Foundation alone (Knights Landing) is not enough for a Skylake-SP build
        assertTrue(NativeBuild.mismatch("linux-x86_64-avx512", partial).contains("avx512bw"));
    }

    @Test
    void aProcessorWithTheFlagsRunsTheBuildAndUnknownFlagsAreNotHeldAgainstIt() {
        Set<String> xeon = new TreeSet<>(EPYC_AVX2);
        xeon.addAll(NativeBuild.AVX512_FLAGS);
        assertNull(NativeBuild.mismatch("linux-x86_64-onednn-avx512", xeon));
        assertNull(NativeBuild.mismatch("linux-x86_64-onednn-avx2", EPYC_AVX2));
        assertNull(NativeBuild.mismatch("linux-x86_64-onednn-avx512", Set.of()));
        assertTrue(NativeBuild.mismatch("linux-x86_64-onednn-avx2", Set.of("sse4_2", "avx")).contains("avx2, fma"));
    }
}
