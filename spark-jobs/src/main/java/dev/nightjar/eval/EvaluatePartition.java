package dev.nightjar.eval;

import dev.nightjar.data.shard.PathSource;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Evaluates the records of one partition with the broadcast model; returns one Evaluation. */
public final class EvaluatePartition implements FlatMapFunction<Iterator<String>, Evaluation> {
    private final Broadcast<byte[]> model;
    private final DataSetLoader loader;
    private final List<String> labels;

    public EvaluatePartition(Broadcast<byte[]> model, DataSetLoader loader, List<String> labels) {
        this.model = model;
        this.loader = loader;
        this.labels = labels;
    }

    @Override
    public Iterator<Evaluation> call(Iterator<String> paths) throws Exception {
        // a mutable list: Kryo cannot rebuild the JDK's immutable lists
        Evaluation eval = new Evaluation(new ArrayList<>(labels));
        if (!paths.hasNext()) {
            return List.of(eval).iterator();
        }
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.value()), false);
        while (paths.hasNext()) {
            DataSet ds = loader.load(new PathSource(paths.next()));
            eval.eval(ds.getLabels(), net.output(ds.getFeatures(), false));
        }
        return List.of(eval).iterator();
    }
}
