package dev.nightjar.score;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.model.LabelMap;
import dev.nightjar.storage.Bundles;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;

/**
 * A Spark MLlib pipeline bundle, as {@code nightjar baseline} writes it: {@code pipeline/} (the
 * fitted {@link PipelineModel}: text → probability, label i = labels.json's i-th label),
 * {@code labels.json} and {@code provenance.json} (kind {@value Bundles#PIPELINE_KIND}). Scored with
 * the pipeline's own {@code transform}: a document is read whole.
 */
public final class PipelineClassifier implements TextClassifier {
    private final PipelineModel model;
    private final LabelMap labels;

    private PipelineClassifier(PipelineModel model, LabelMap labels) {
        this.model = model;
        this.labels = labels;
    }

    static PipelineClassifier load(String dir, JavaSparkContext sc) {
        Configuration conf = sc.hadoopConfiguration();
        LabelMap labels = HadoopFiles.readJson(dir + "/" + LabelMap.FILE, LabelMap.class, conf);
        try {
            return new PipelineClassifier(PipelineModel.load(dir + "/" + Bundles.PIPELINE_DIR), labels);
        } catch (RuntimeException e) {
            throw new UserException("cannot load the MLlib pipeline in " + dir + "/" + Bundles.PIPELINE_DIR + " (corrupt or not a "
                    + "pipeline): " + e.getMessage(), e);
        }
    }

    /** Writes a pipeline bundle into a temporary sibling of {@code dir}, then renames it into place. */
    public static void save(PipelineModel model, LabelMap labels, Map<String, Object> provenance, String dir, Configuration conf) {
        String tmp = HadoopFiles.tempSibling(dir);
        try {
            model.write().overwrite().save(tmp + "/" + Bundles.PIPELINE_DIR);
            HadoopFiles.writeString(tmp + "/" + LabelMap.FILE, Json.write(labels) + "\n", conf);
            HadoopFiles.writeString(tmp + "/" + dev.nightjar.model.ModelBundle.PROVENANCE_FILE, Json.write(provenance) + "\n", conf);
            HadoopFiles.publishDir(tmp, dir, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pipeline bundle " + dir, e);
        } finally {
            HadoopFiles.delete(tmp, conf);
        }
    }

    @Override
    public LabelMap labels() {
        return labels;
    }

    @Override
    public String kind() {
        return Bundles.PIPELINE_KIND;
    }

    @Override
    public Dataset<Row> score(Dataset<Row> checked, int positive, Reading reading) {
        Column names = array(labels.labels().stream().map(l -> lit(l)).toArray(Column[]::new));
        Column p = col("p");
        Dataset<Row> scored = model.transform(checked.filter(col("reject").isNull()))
                .withColumn("p", vector_to_array(col("probability"), "float64"))
                .select(col("id"), col("time"), col("group"), element_at(names, array_position(p, array_max(p)).cast("int")).as("label"),
                        array_max(p).as("confidence"), map_from_arrays(names, p).as("probabilities"),
                        element_at(p, positive + 1).as("positive_probability"), lit(1).as("windows"), lit(false).as("truncated"),
                        lit(null).cast("string").as("reject"), lit(null).cast("string").as("raw_text"),
                        lit(null).cast("string").as("raw_time"), lit(null).cast("string").as("raw_record"), col("lines"));
        Dataset<Row> rejected = checked.filter(col("reject").isNotNull())
                .select(col("id"), lit(null).cast("timestamp").as("time"), col("group"), lit(null).cast("string").as("label"),
                        lit(null).cast("double").as("confidence"), lit(null).cast("map<string,double>").as("probabilities"),
                        lit(null).cast("double").as("positive_probability"), lit(null).cast("int").as("windows"),
                        lit(null).cast("boolean").as("truncated"), col("reject"), col("raw_text"), col("raw_time"), col("raw_record"), col("lines"));
        return scored.unionByName(rejected);
    }

    @Override
    public void close() {
    }
}
