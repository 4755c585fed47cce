package dev.nightjar.train;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pins the task's thread to the GPU Spark assigned to the task ({@code spark.task.resource.gpu.amount=1})
 * before DL4J's worker builds its copy of the network in that thread, so each training worker
 * uses its own GPU; ND4J's CUDA backend would otherwise deal devices to threads round robin. The
 * records pass through unchanged. A no-op without GPU resources (CPU executors, local mode).
 */
public final class PinToTaskGpu implements FlatMapFunction<Iterator<String>, String> {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(PinToTaskGpu.class);
    private static final Set<Integer> LOGGED = ConcurrentHashMap.newKeySet();

    @Override
    public Iterator<String> call(Iterator<String> records) {
        TaskContext task = TaskContext.get();
        ResourceInformation gpu = task == null ? null : task.resourcesJMap().get("gpu");
        if (gpu != null && gpu.addresses().length > 0) {
            String address = gpu.addresses()[0];
            int devices = Nd4j.getAffinityManager().getNumberOfDevices();
            int device = deviceFor(address, System.getenv("CUDA_VISIBLE_DEVICES"), devices);
            Nd4j.getAffinityManager().unsafeSetDevice(device);
            if (LOGGED.add(device)) {
                LOG.info("executor {}: ND4J backend {}, training worker on device {} of {} (Spark GPU address {})",
                        SparkEnv.get() == null ? "?" : SparkEnv.get().executorId(), dev.nightjar.nd4j.NativeTuning.backendName(), device,
                        devices, address);
            }
        }
        return records;
    }

    /**
     * ND4J's device number for a Spark GPU address: the address is the node's GPU index (from
     * nvidia-smi); where CUDA_VISIBLE_DEVICES narrows what the process sees, CUDA numbers the
     * visible GPUs from 0 in that order.
     */
    static int deviceFor(String address, String cudaVisibleDevices, int devices) {
        int device;
        if (cudaVisibleDevices != null && !cudaVisibleDevices.isBlank()) {
            List<String> visible = Arrays.stream(cudaVisibleDevices.split(",")).map(String::strip).toList();
            device = visible.indexOf(address.strip());
            if (device < 0) {
                throw new IllegalStateException("Spark assigned GPU " + address + ", which is not in CUDA_VISIBLE_DEVICES=" + cudaVisibleDevices);
            }
        } else {
            try {
                device = Integer.parseInt(address.strip());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("GPU address '" + address + "' is not a device index (check the discovery script)");
            }
        }
        if (device >= devices) {
            throw new IllegalStateException("Spark assigned GPU " + address + " (device " + device + "), but ND4J sees " + devices
                    + " device(s): is this the cuda build of the cluster jar?");
        }
        return device;
    }
}
