package dev.nightjar.eval;

import dev.nightjar.data.shard.PathSource;
import dev.nightjar.model.Network;
import dev.nightjar.spark.ExecutorNetworks;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Iterator;
import java.util.List;

/**
 * Evaluates the records of one partition with the broadcast model (feature masks respected); returns one
 * evaluation, holding at most {@code keepMistakes} misclassified images.
 */
public final class EvaluatePartition implements FlatMapFunction<Iterator<String>, ClassifierEvaluation> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final DataSetLoader loader;
    private final List<String> labels;
    private final int keepMistakes;

    public EvaluatePartition(Broadcast<byte[]> model, DataSetLoader loader, List<String> labels) {
        this(model, loader, labels, 0);
    }

    /** @param keepMistakes the most confident misclassified images each partition sends back (0 = none) */
    public EvaluatePartition(Broadcast<byte[]> model, DataSetLoader loader, List<String> labels, int keepMistakes) {
        this.model = model;
        this.loader = loader;
        this.labels = labels;
        this.keepMistakes = keepMistakes;
    }

    @Override
    public Iterator<ClassifierEvaluation> call(Iterator<String> paths) throws Exception {
        ClassifierEvaluation eval = new ClassifierEvaluation(labels, keepMistakes);
        if (!paths.hasNext()) {
            return List.of(eval).iterator();
        }
        Network net = ExecutorNetworks.of(model);
        while (paths.hasNext()) {
            String path = paths.next();
            DataSet ds = loader.load(new PathSource(path));
            INDArray probabilities = net.output(ds.getFeatures(), ds.getFeaturesMaskArray());
            eval.eval(ds.getLabels(), probabilities);
            eval.collectMistakes(path, ds.getFeatures(), ds.getLabels(), probabilities);
        }
        return List.of(eval).iterator();
    }
}
