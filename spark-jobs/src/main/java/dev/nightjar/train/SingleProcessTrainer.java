package dev.nightjar.train;

import dev.nightjar.data.shard.PathSource;
import dev.nightjar.model.Network;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The same segments as {@link ParameterAveragingTrainer}, trained in this JVM with plain
 * {@code fit} of the network: the baseline that tells whether Spark pays off.
 */
public final class SingleProcessTrainer implements DistributedTrainer {
    private final TrainConfig cfg;

    public SingleProcessTrainer(TrainConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public Network train(Network net, List<String> records, int batchSize,
                                   IntFunction<DataSetLoader> loaders, TrainingListener listener, Start start) {
        long seen = start.examplesSeen();
        for (int epoch = start.epoch(); epoch < cfg.epochs(); epoch++) {
            List<List<String>> segments = SegmentPlan.segments(records, cfg.seed(), epoch, cfg.recordsPerSegment());
            DataSetLoader loader = loaders.apply(epoch);
            net = listener.beforeEpoch(epoch, net);
            for (int s = epoch == start.epoch() ? start.segment() : 0; s < segments.size(); s++) {
                net.setEpochCount(epoch);
                double lr = net.learningRate();
                long t0 = System.nanoTime();
                long fitNanos = 0;
                double loss = 0;
                long n = 0;
                for (String path : segments.get(s)) {
                    DataSet ds = load(loader, path);
                    long f0 = System.nanoTime();
                    net.fit(ds);
                    fitNanos += System.nanoTime() - f0;
                    loss += net.score();
                    n += ds.numExamples();
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                seen += n;
                java.util.Map<String, Double> val = s == segments.size() - 1 ? listener.validate(epoch, net) : null;
                listener.segment(new SegmentMetrics(epoch, s, segments.size(), seen, loss / segments.get(s).size(), null, lr, n / wall,
                        fitNanos / 1e9, Math.max(0, wall - fitNanos / 1e9), wall, val));
                if (cfg.checkpointDue(s, segments.size())) {
                    boolean last = s == segments.size() - 1;
                    listener.checkpoint(last ? epoch + 1 : epoch, last ? 0 : s + 1, seen, net);
                }
            }
        }
        return net;
    }

    private static DataSet load(DataSetLoader loader, String path) {
        try {
            return loader.load(new PathSource(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + path, e);
        }
    }
}
