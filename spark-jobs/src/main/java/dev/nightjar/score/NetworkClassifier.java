package dev.nightjar.score;

import dev.nightjar.model.LabelMap;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.spark.SparkSessions;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/** A network bundle of a classification family: its weights broadcast once, each partition scored by {@link ScorePartition}. */
final class NetworkClassifier implements TextClassifier {
    private final ModelBundle bundle;
    private final String kind;
    private final JavaSparkContext sc;
    private Broadcast<byte[]> weights;

    NetworkClassifier(ModelBundle bundle, String kind, JavaSparkContext sc) {
        this.bundle = bundle;
        this.kind = kind;
        this.sc = sc;
    }

    @Override
    public LabelMap labels() {
        return bundle.labels();
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public Dataset<Row> score(Dataset<Row> checked, int positive, Reading reading) {
        if (weights == null) {
            weights = sc.broadcast(bundle.network().toStoredBytes(false));
        }
        int maxLen = ((Number) bundle.provenance().getOrDefault("max_len", 256)).intValue();
        return checked.mapPartitions(new ScorePartition(weights, bundle.requireTokenizer(), bundle.labels(), positive, maxLen, reading,
                SparkSessions.threadsPerTask(sc)), Encoders.row(ScorePartition.SCHEMA));
    }

    @Override
    public void close() {
        if (weights != null) {
            weights.destroy();
            weights = null;
        }
    }
}
