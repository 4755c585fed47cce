package dev.nightjar.data;

import dev.nightjar.data.image.Augmentation;
import dev.nightjar.data.image.ImageRecordLoader;
import dev.nightjar.data.text.LabelledRecordLoader;
import dev.nightjar.data.text.LmRecordLoader;
import dev.nightjar.model.family.DatasetInfo;
import dev.nightjar.model.family.InputEncoding;
import org.deeplearning4j.core.loader.DataSetLoader;

/** The shard record loader for a dataset kind and a family's input encoding (labels = features for an autoencoder). */
public final class RecordLoaders {
    private RecordLoaders() {
    }

    /**
     * A training loader for one epoch (augmentation, when on, is seeded by seed and epoch).
     *
     * @param threads ND4J threads for the executor JVM
     */
    public static DataSetLoader training(InputEncoding input, DatasetInfo data, Augmentation augmentation, long seed, int epoch, int threads) {
        DataSetLoader records = switch (input.dataset()) {
            case IMAGE -> new ImageRecordLoader(data.requireLabels().size(), augmentation, seed, epoch, threads);
            case LANGUAGE_MODEL -> new LmRecordLoader(data.requireTokenizer().size(), input.oneHotTokens(), threads);
            case CLASSIFICATION -> new LabelledRecordLoader(data.requireTokenizer().size(), data.requireLabels().size(), threads);
        };
        return input.labelsAreFeatures() ? new FeaturesAsLabels(records) : records;
    }

    /** A loader for evaluation: no augmentation. */
    public static DataSetLoader evaluation(InputEncoding input, DatasetInfo data, int threads) {
        return training(input, data, Augmentation.OFF, 0, 0, threads);
    }
}
