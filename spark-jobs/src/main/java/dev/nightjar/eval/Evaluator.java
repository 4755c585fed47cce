package dev.nightjar.eval;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Distributed evaluation: the model is broadcast once, each partition evaluates its records, results merge in a tree. */
public final class Evaluator {
    private final JavaSparkContext sc;

    public Evaluator(JavaSparkContext sc) {
        this.sc = sc;
    }

    public Evaluation evaluate(MultiLayerNetwork net, List<String> records, DataSetLoader loader, List<String> labels, int partitions) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(net, bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Broadcast<byte[]> model = sc.broadcast(bytes.toByteArray());
        try {
            int parts = Math.max(1, Math.min(records.size(), partitions > 0 ? partitions : sc.defaultParallelism()));
            return sc.parallelize(records, parts)
                    .mapPartitions(new EvaluatePartition(model, loader, labels))
                    .treeReduce(new MergeEvaluations());
        } finally {
            model.destroy();
        }
    }
}
