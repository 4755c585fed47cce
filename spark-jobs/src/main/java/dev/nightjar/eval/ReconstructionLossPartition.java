package dev.nightjar.eval;

import dev.nightjar.data.shard.PathSource;
import dev.nightjar.model.Network;
import dev.nightjar.spark.ExecutorNetworks;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Iterator;
import java.util.List;

/**
 * Sums the squared reconstruction error of one partition's records under the broadcast autoencoder (inference: no
 * input noise); the loader gives the images as features and as labels.
 */
public final class ReconstructionLossPartition implements FlatMapFunction<Iterator<String>, ReconstructionLoss> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final DataSetLoader loader;

    public ReconstructionLossPartition(Broadcast<byte[]> model, DataSetLoader loader) {
        this.model = model;
        this.loader = loader;
    }

    @Override
    public Iterator<ReconstructionLoss> call(Iterator<String> paths) throws Exception {
        if (!paths.hasNext()) {
            return List.of(new ReconstructionLoss(0, 0, 0)).iterator();
        }
        Network net = ExecutorNetworks.of(model);
        double sse = 0;
        long values = 0;
        long images = 0;
        while (paths.hasNext()) {
            DataSet ds = loader.load(new PathSource(paths.next()));
            sse += net.output(ds.getFeatures(), null).squaredDistance(ds.getLabels());
            values += ds.getLabels().length();
            images += ds.getLabels().size(0);
        }
        return List.of(new ReconstructionLoss(sse, values, images)).iterator();
    }
}
