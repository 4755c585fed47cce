package dev.nightjar.eval;

import dev.nightjar.data.shard.PathSource;
import dev.nightjar.model.Network;
import dev.nightjar.report.ImageGrid;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sample reconstructions of an autoencoder for its report: the first images of the first records, read on the driver
 * (a few records at most, never the dataset), each with the network's reconstruction.
 */
public final class Reconstructions {
    /** Sample pairs the report shows. */
    public static final int SAMPLES = 16;
    /** Pairs per row of the grid. */
    static final int PAIRS_PER_ROW = 4;

    private Reconstructions() {
    }

    /**
     * @param loader gives the images as features (an autoencoder's evaluation loader)
     * @return up to {@code n} pairs {input, reconstruction}, each {@code [channels, height, width]}
     */
    public static List<INDArray[]> sample(Network net, DataSetLoader loader, List<String> records, int n) {
        List<INDArray[]> pairs = new ArrayList<>();
        for (String record : records) {
            if (pairs.size() >= n) {
                break;
            }
            DataSet ds;
            try {
                ds = loader.load(new PathSource(record));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + record, e);
            }
            INDArray in = ds.getFeatures();
            int take = (int) Math.min(n - pairs.size(), in.size(0));
            INDArray x = in.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, take));
            INDArray y = net.output(x, null);
            for (int i = 0; i < take; i++) {
                pairs.add(new INDArray[] {x.slice(i).dup(), y.slice(i).dup()});
            }
        }
        return pairs;
    }

    /** The report's section: a grid of (input | reconstruction) pairs, or a line saying there were none. */
    public static String html(List<INDArray[]> pairs, String split) {
        String head = "<h2>Sample reconstructions</h2>\n<p>The first " + pairs.size() + " images of the " + split
                + " split (input | reconstruction, no input noise).</p>\n";
        if (pairs.isEmpty()) {
            return head;
        }
        List<INDArray> cells = new ArrayList<>();
        pairs.forEach(p -> cells.addAll(List.of(p)));
        int columns = 2 * Math.min(PAIRS_PER_ROW, pairs.size());
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < columns / 2; i++) {
            captions.addAll(List.of("input", "output"));
        }
        int height = (int) pairs.get(0)[0].size(1);
        int scale = Math.max(1, Math.min(4, 96 / Math.max(1, height)));
        return head + ImageGrid.img("sample reconstructions: input | reconstruction", ImageGrid.draw(cells, columns, scale,
                Collections.unmodifiableList(captions))) + "\n";
    }
}
