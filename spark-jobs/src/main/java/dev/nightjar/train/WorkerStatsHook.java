package dev.nightjar.train;

import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs on the workers around every minibatch fit: sums the loss, the examples and the time
 * spent in {@code fit}, into Spark accumulators the driver reads after each segment.
 */
public final class WorkerStatsHook implements TrainingHook {
    private static final long serialVersionUID = 1L;

    private final DoubleAccumulator lossSum;
    private final LongAccumulator minibatches;
    private final LongAccumulator examples;
    private final LongAccumulator fitNanos;
    private transient ThreadLocal<Long> started;

    public WorkerStatsHook(DoubleAccumulator lossSum, LongAccumulator minibatches, LongAccumulator examples, LongAccumulator fitNanos) {
        this.lossSum = lossSum;
        this.minibatches = minibatches;
        this.examples = examples;
        this.fitNanos = fitNanos;
    }

    private ThreadLocal<Long> started() {
        if (started == null) {
            started = new ThreadLocal<>();
        }
        return started;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        started().set(System.nanoTime());
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        record(model, minibatch.numExamples());
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        started().set(System.nanoTime());
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        record(model, minibatch.getFeatures(0).size(0));
    }

    private void record(Model model, long n) {
        Long t0 = started().get();
        if (t0 != null) {
            fitNanos.add(System.nanoTime() - t0);
        }
        lossSum.add(model.score());
        minibatches.add(1);
        examples.add(n);
    }

    void reset() {
        lossSum.reset();
        minibatches.reset();
        examples.reset();
        fitNanos.reset();
    }

    double meanLoss() {
        return minibatches.value() == 0 ? Double.NaN : lossSum.value() / minibatches.value();
    }

    long examples() {
        return examples.value();
    }

    double fitSeconds() {
        return fitNanos.value() / 1e9;
    }
}
