package dev.nightjar.train;

import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A test switch ({@code train.inject-fault = first-attempt}), set on the run's first segment only:
 * the first attempt of worker 0's task in each of its averaging rounds throws before its first
 * update; the retry trains normally. It proves that training survives a lost task when Spark
 * retries tasks ({@code local[N,F]}, {@code spark.task.maxFailures}). A hook, not the loader:
 * DL4J's prefetch thread, where the loader runs, has no TaskContext.
 */
public final class FaultInjectingHook implements TrainingHook {
    private static final long serialVersionUID = 1L;

    public static final String MESSAGE = "injected fault (train.inject-fault = first-attempt)";

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        strike();
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        strike();
    }

    private static void strike() {
        TaskContext task = TaskContext.get();
        if (task != null && task.attemptNumber() == 0 && task.partitionId() == 0) {
            throw new IllegalStateException(MESSAGE + ": task " + task.partitionId() + " of stage " + task.stageId() + ", attempt 0");
        }
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        // nothing after the update
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        // nothing after the update
    }
}
