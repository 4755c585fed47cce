package dev.nightjar.score;

import dev.nightjar.UserException;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.family.DatasetKind;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.ModelFamily;
import dev.nightjar.storage.Bundles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A model that scores documents: a Nightjar network bundle of a classification family, or a Spark
 * MLlib pipeline bundle (the baseline). Both score the same checked rows into the same scored
 * rows, so score, the comparisons and the demo never care which one they hold.
 */
public interface TextClassifier extends AutoCloseable {
    LabelMap labels();

    /** How scores and reports name the model's kind: its family, or the pipeline. */
    String kind();

    /**
     * Scores checked rows ({@link CheckRow#SCHEMA}) into {@link ScorePartition#SCHEMA}: accepted rows
     * scored, rejected ones passed through; lazily, one pass when the result is computed.
     *
     * @param positive index of the label whose probability is the sentiment
     */
    Dataset<Row> score(Dataset<Row> checked, int positive, Reading reading);

    /** Releases what scoring broadcast. */
    @Override
    void close();

    /** The classifier in a bundle directory (already resolved), with a clear error for any other model. */
    static TextClassifier load(String dir, String ref, JavaSparkContext sc) {
        if (Bundles.isPipeline(dir, sc.hadoopConfiguration())) {
            return PipelineClassifier.load(dir, sc);
        }
        ModelBundle bundle = Bundles.load(dir, sc.hadoopConfiguration());
        ModelFamily family = Families.of(bundle);
        if (family.dataset() != DatasetKind.CLASSIFICATION || bundle.labels() == null) {
            throw new UserException("a text classifier is needed; " + ref + " is a " + family.name());
        }
        return new NetworkClassifier(bundle, family.name(), sc);
    }
}
