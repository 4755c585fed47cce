package dev.nightjar.train;

import dev.nightjar.nd4j.NativeTuning;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * Runs in a training task before DL4J builds the worker's network: when Spark gave the task a GPU
 * ({@code spark.task.resource.gpu.amount}), ND4J's work on this thread goes to that device, so the
 * workers of one executor use one GPU each. Passes the records through unchanged; does nothing
 * on CPU or when the task has no GPU.
 */
public final class PinTaskGpu implements FlatMapFunction<Iterator<String>, String> {
    private static final Logger LOG = LoggerFactory.getLogger(PinTaskGpu.class);

    @Override
    public Iterator<String> call(Iterator<String> records) {
        TaskContext task = TaskContext.get();
        ResourceInformation gpu = task == null ? null : task.resources().get("gpu").getOrElse(() -> null);
        if (gpu != null && gpu.addresses().length > 0 && "CUDA".equalsIgnoreCase(NativeTuning.backendName())) {
            int device = Integer.parseInt(gpu.addresses()[0]);
            Nd4j.getAffinityManager().unsafeSetDevice(device);
            LOG.info("task {} of stage {}: ND4J on GPU {} ({})", task.partitionId(), task.stageId(), device, NativeTuning.backendSummary());
        }
        return records;
    }
}
