package dev.nightjar.eval;

import dev.nightjar.data.shard.PathSource;
import dev.nightjar.model.Network;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Classifies the records of one partition with every broadcast model, each record loaded once, and counts
 * which models get each example right ({@link PairedCounts}); returns one count per partition.
 */
public final class PairedPartition implements FlatMapFunction<Iterator<String>, PairedCounts> {
    private static final long serialVersionUID = 1L;

    private final List<Broadcast<byte[]>> models;
    private final DataSetLoader loader;
    private final int reference;

    /** @param reference the index of the model the others are paired with, or -1 */
    public PairedPartition(List<Broadcast<byte[]>> models, DataSetLoader loader, int reference) {
        this.models = List.copyOf(models);
        this.loader = loader;
        this.reference = reference;
    }

    @Override
    public Iterator<PairedCounts> call(Iterator<String> paths) throws Exception {
        PairedCounts counts = new PairedCounts(models.size());
        if (!paths.hasNext()) {
            return List.of(counts).iterator();
        }
        List<Network> nets = new ArrayList<>();
        for (Broadcast<byte[]> m : models) {
            nets.add(Network.fromBytes(m.value(), false));
        }
        while (paths.hasNext()) {
            DataSet ds = loader.load(new PathSource(paths.next()));
            long[] truth = argmax(ds.getLabels());
            long[][] predicted = new long[nets.size()][];
            for (int m = 0; m < nets.size(); m++) {
                predicted[m] = argmax(nets.get(m).output(ds.getFeatures(), ds.getFeaturesMaskArray()));
            }
            boolean[] right = new boolean[nets.size()];
            for (int i = 0; i < truth.length; i++) {
                for (int m = 0; m < nets.size(); m++) {
                    right[m] = predicted[m][i] == truth[i];
                }
                counts.add(right, reference);
            }
        }
        return List.of(counts).iterator();
    }

    /** The highest column of each row of a [n, classes] matrix. */
    static long[] argmax(INDArray rows) {
        return rows.argMax(1).toLongVector();
    }
}
