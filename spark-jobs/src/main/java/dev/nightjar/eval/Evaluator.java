package dev.nightjar.eval;

import dev.nightjar.model.Network;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.loader.DataSetLoader;

import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/** Distributed evaluation: the model is broadcast once, each partition evaluates its records, results merge in a tree. */
public final class Evaluator {
    private final JavaSparkContext sc;

    public Evaluator(JavaSparkContext sc) {
        this.sc = sc;
    }

    /** Classification: one evaluation (and ROC for two classes) over all records. */
    public ClassifierEvaluation evaluate(Network net, List<String> records, DataSetLoader loader, List<String> labels, int partitions) {
        return evaluate(net, records, loader, labels, partitions, 0);
    }

    /**
     * Classification, keeping the most confident misclassified images: each partition sends at most
     * {@code keepMistakes} back, and the merge keeps that many.
     */
    public ClassifierEvaluation evaluate(Network net, List<String> records, DataSetLoader loader, List<String> labels, int partitions,
                                         int keepMistakes) {
        return evaluate(net, records, partitions, model -> new EvaluatePartition(model, loader, labels, keepMistakes),
                new ClassifierEvaluation.Merge());
    }

    /**
     * Language model: summed nats, counted tokens and the characters they stand for over all records.
     *
     * @param charsPerId characters per target id ({@link dev.nightjar.text.Tokenizer#charsPerId}); null counts none
     */
    public TokenLoss tokenLoss(Network net, List<String> records, DataSetLoader loader, int partitions, int[] charsPerId) {
        return evaluate(net, records, partitions, model -> new TokenLossPartition(model, loader, charsPerId), new TokenLoss.Merge());
    }

    /** Autoencoder: summed squared reconstruction error and counted pixel values over all records. */
    public ReconstructionLoss reconstructionLoss(Network net, List<String> records, DataSetLoader loader, int partitions) {
        return evaluate(net, records, partitions, model -> new ReconstructionLossPartition(model, loader), new ReconstructionLoss.Merge());
    }

    /**
     * @param perPartition the partition function, given the broadcast model bytes; it returns one result per partition
     * @param merge        combines two results
     */
    public <T> T evaluate(Network net, List<String> records, int partitions,
                          Function<Broadcast<byte[]>, FlatMapFunction<Iterator<String>, T>> perPartition, Function2<T, T, T> merge) {
        Broadcast<byte[]> model = sc.broadcast(net.toBytes(false));
        try {
            int parts = Math.max(1, Math.min(records.size(), partitions > 0 ? partitions : sc.defaultParallelism()));
            return dev.nightjar.spark.RecordRdds.of(sc, records, parts).mapPartitions(perPartition.apply(model)).treeReduce(merge);
        } finally {
            model.destroy();
        }
    }
}
