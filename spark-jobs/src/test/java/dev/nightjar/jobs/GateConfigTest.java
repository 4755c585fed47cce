package dev.nightjar.jobs;

import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GateConfigTest {
    static GateConfig gate(String... sets) {
        return GateConfig.from(Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets))));
    }

    @Test
    void lowerBitsPassAndHigherBitsPassOnlyWithinTheTolerance() {
        GateConfig g = gate("registry.gate.tolerance=0.05");
        assertEquals("bits_per_token", g.metricFor(dev.nightjar.model.family.MetricsKind.LANGUAGE_MODEL));
        assertTrue(g.passes("bits_per_token", 2.00, 2.10), "better");
        assertTrue(g.passes("bits_per_token", 2.14, 2.10), "worse by 0.04, within 0.05");
        assertFalse(g.passes("bits_per_token", 2.16, 2.10), "worse by 0.06");
    }

    @Test
    void higherAccuracyIsBetter() {
        GateConfig g = gate("registry.gate.tolerance=0");
        assertEquals("accuracy", g.metricFor(dev.nightjar.model.family.MetricsKind.CLASSIFIER));
        assertTrue(g.passes("accuracy", 0.80, 0.80), "equal is not worse");
        assertFalse(g.passes("accuracy", 0.79, 0.80));
        assertTrue(g.passes("accuracy", 0.81, 0.80));
        assertEquals("macro_f1", gate("registry.gate.metric=macro_f1").metricFor(dev.nightjar.model.family.MetricsKind.CLASSIFIER));
    }

    @Test
    void aBadMetricNamesTheKey() {
        UserException e = assertThrows(UserException.class, () -> gate("registry.gate.metric=loss"));
        assertTrue(e.getMessage().contains("registry.gate.metric"), e.getMessage());
    }
}
