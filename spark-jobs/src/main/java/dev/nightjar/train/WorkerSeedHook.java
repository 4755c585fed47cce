package dev.nightjar.train;

import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes dropout reproducible: before a worker's first minibatch in each averaging round, it seeds
 * the task thread's ND4J random generator from (seed, the round's iteration count, the worker's
 * partition). Otherwise each run draws other dropout masks and ends on another model.
 */
public final class WorkerSeedHook implements TrainingHook {
    private static final long serialVersionUID = 1L;

    private final long seed;
    private transient boolean seeded;

    public WorkerSeedHook(long seed) {
        this.seed = seed;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        seedOnce(model);
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        seedOnce(model);
    }

    private void seedOnce(Model model) {
        if (seeded) {
            return;
        }
        seeded = true;
        long iteration = model instanceof MultiLayerNetwork net ? net.getIterationCount() : 0;
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        Nd4j.getRandom().setSeed(seed * 1_000_003L + iteration * 7_919L + partition);
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        // nothing to do after the update
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        // nothing to do after the update
    }
}
