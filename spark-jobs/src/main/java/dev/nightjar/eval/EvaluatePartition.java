package dev.nightjar.eval;

import dev.nightjar.data.shard.PathSource;
import dev.nightjar.model.Network;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Iterator;
import java.util.List;

/** Evaluates the records of one partition with the broadcast model (feature masks respected); returns one evaluation. */
public final class EvaluatePartition implements FlatMapFunction<Iterator<String>, ClassifierEvaluation> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final DataSetLoader loader;
    private final List<String> labels;

    public EvaluatePartition(Broadcast<byte[]> model, DataSetLoader loader, List<String> labels) {
        this.model = model;
        this.loader = loader;
        this.labels = labels;
    }

    @Override
    public Iterator<ClassifierEvaluation> call(Iterator<String> paths) throws Exception {
        ClassifierEvaluation eval = new ClassifierEvaluation(labels);
        if (!paths.hasNext()) {
            return List.of(eval).iterator();
        }
        Network net = Network.fromBytes(model.value(), false);
        while (paths.hasNext()) {
            DataSet ds = loader.load(new PathSource(paths.next()));
            eval.eval(ds.getLabels(), net.output(ds.getFeatures(), ds.getFeaturesMaskArray()));
        }
        return List.of(eval).iterator();
    }
}
