package dev.nightjar.train;

import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PinToTaskGpuTest {
    @Test
    void sparkGpuAddressesMapToCudaDevices() {
        assertEquals(3, PinToTaskGpu.deviceFor("3", null, 4));
        assertEquals(1, PinToTaskGpu.deviceFor("5", "4,5", 2), "CUDA numbers the visible GPUs from 0");
        assertTrue(assertThrows(IllegalStateException.class, () -> PinToTaskGpu.deviceFor("2", "4,5", 2)).getMessage()
                .contains("not in CUDA_VISIBLE_DEVICES"));
        assertTrue(assertThrows(IllegalStateException.class, () -> PinToTaskGpu.deviceFor("1", "", 1)).getMessage()
                .contains("ND4J sees 1 device(s)"));
    }

    @Test
    void withoutATaskOrGpuTheRecordsPassThrough() {
        Iterator<String> records = List.of("a#0", "a#1").iterator();
        assertSame(records, new PinToTaskGpu().call(records));
    }
}
