package dev.nightjar.data;

import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;

/**
 * An autoencoder's records: another loader's minibatch with its features as the labels too (a copy, so noise a
 * network applies to its input never reaches the target). The dataset's labels are dropped.
 */
public final class FeaturesAsLabels implements DataSetLoader {
    private static final long serialVersionUID = 1L;

    private final DataSetLoader records;

    public FeaturesAsLabels(DataSetLoader records) {
        this.records = records;
    }

    @Override
    public DataSet load(Source source) throws IOException {
        DataSet ds = records.load(source);
        return new DataSet(ds.getFeatures(), ds.getFeatures().dup(), ds.getFeaturesMaskArray(), ds.getFeaturesMaskArray());
    }
}
