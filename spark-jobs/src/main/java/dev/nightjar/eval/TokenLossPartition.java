package dev.nightjar.eval;

import dev.nightjar.data.shard.PathSource;
import dev.nightjar.model.LanguageModels;
import dev.nightjar.model.Network;
import dev.nightjar.spark.ExecutorNetworks;
import dev.nightjar.text.Tokenizer;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Iterator;
import java.util.List;

/**
 * Sums the next-token negative log-likelihood of one partition's records under the broadcast language model,
 * and the characters its targets stand for.
 */
public final class TokenLossPartition implements FlatMapFunction<Iterator<String>, TokenLoss> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final DataSetLoader loader;
    private final int[] charsPerId;

    /** @param charsPerId characters per target id ({@link Tokenizer#charsPerId}); null counts none */
    public TokenLossPartition(Broadcast<byte[]> model, DataSetLoader loader, int[] charsPerId) {
        this.model = model;
        this.loader = loader;
        this.charsPerId = charsPerId;
    }

    @Override
    public Iterator<TokenLoss> call(Iterator<String> paths) throws Exception {
        if (!paths.hasNext()) {
            return List.of(new TokenLoss(0, 0)).iterator();
        }
        Network net = ExecutorNetworks.of(model);
        double nats = 0;
        long tokens = 0;
        long chars = 0;
        while (paths.hasNext()) {
            DataSet ds = loader.load(new PathSource(paths.next()));
            double[] nll = LanguageModels.negLogLikelihood(net.output(ds.getFeatures(), null), ds.getLabels());
            nats += nll[0];
            tokens += (long) nll[1];
            chars += chars(ds.getLabels(), charsPerId);
        }
        return List.of(new TokenLoss(nats, tokens, chars)).iterator();
    }

    /** The characters the target ids stand for; padding targets (not counted as tokens either) count none. */
    static long chars(INDArray targets, int[] charsPerId) {
        if (charsPerId == null) {
            return 0;
        }
        long chars = 0;
        for (float y : targets.dup('c').data().asFloat()) {
            int id = (int) y;
            chars += id == Tokenizer.PAD ? 0 : charsPerId[id];
        }
        return chars;
    }
}
