package dev.nightjar.jobs;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.eval.ClassifierEvaluation;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.family.DatasetKind;
import dev.nightjar.score.PipelineClassifier;
import dev.nightjar.storage.Bundles;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.Tokenizer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * {@code nightjar baseline}: the model a data engineer tries first, on the dataset's own splits and
 * documents ({@code docs/}): Spark MLlib's tokenizer, unigrams and bigrams, TF-IDF and logistic
 * regression. The regularisation is chosen on the validation split; test metrics go to
 * {@code metrics.json} in the schema of {@code nightjar evaluate}, so comparisons are one table; the
 * fitted pipeline is a bundle ({@link PipelineClassifier}) that {@code score} and {@code compare} read.
 */
public final class BaselineJob {
    /** Tried from the least to the most regularised; the validation accuracy picks one (the demo's sentences: 1, inside the grid). */
    public static final double[] REG_PARAMS = {0.0, 0.001, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0};
    /** The pipeline bundle under the output directory: {@code nightjar score --model OUTPUT/model} scores with it. */
    public static final String MODEL_DIR = "model";
    private static final Logger LOG = LoggerFactory.getLogger(BaselineJob.class);

    /**
     * @param data   classification dataset directory
     * @param split  split the written metrics are measured on
     * @param output directory for metrics.json, baseline.json and model/ (the MLlib pipeline bundle)
     */
    public record Options(String data, String split, Path output) {
    }

    /** @param validationAccuracy per regularisation strength tried */
    public record Result(ClassificationMetrics metrics, double regParam, Map<String, Double> validationAccuracy) {
    }

    private BaselineJob() {
    }

    public static Result run(Options o, JavaSparkContext sc) {
        Configuration hconf = sc.hadoopConfiguration();
        String data = HadoopFiles.qualify(o.data(), hconf);
        Manifest.read(data, hconf).requireKind(DatasetKind.CLASSIFICATION, o.data());
        LabelMap labels = Manifest.labels(data, hconf);
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> docs = spark.read().parquet(data + "/" + ClassificationPrep.DOCS_DIR)
                .withColumn("y", indexOf(labels)).cache();
        Dataset<Row> train = docs.filter(col("split").equalTo(Splits.TRAIN));
        Dataset<Row> validation = docs.filter(col("split").equalTo(Splits.VALIDATION));
        Dataset<Row> evaluated = docs.filter(col("split").equalTo(o.split()));
        if (evaluated.isEmpty()) {
            throw new UserException("dataset " + o.data() + " has no '" + o.split() + "' split");
        }
        Map<String, Double> tried = new LinkedHashMap<>();
        double best = REG_PARAMS[1];
        PipelineModel model = null;
        if (!validation.isEmpty()) {
            double bestAccuracy = -1;
            for (double reg : REG_PARAMS) {
                PipelineModel m = pipeline(reg).fit(train);
                double acc = metrics(m, validation, labels, "baseline", Splits.VALIDATION).accuracy();
                tried.put(Double.toString(reg), acc);
                LOG.info("baseline regParam {}: validation accuracy {}", reg, acc);
                if (acc > bestAccuracy) {
                    bestAccuracy = acc;
                    best = reg;
                    model = m;
                }
            }
        } else {
            model = pipeline(best).fit(train);
        }
        ClassificationMetrics metrics = metrics(model, evaluated, labels, "baseline", o.split());
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("kind", Bundles.PIPELINE_KIND);
        about.put("pipeline", "MLlib Tokenizer -> NGram(2) -> CountVectorizer(minDF 2) x2 -> IDF x2 -> LogisticRegression");
        about.put("dataset", data);
        about.put("reg_param", best);
        about.put("validation_accuracy_by_reg_param", tried);
        about.put("created", java.time.Instant.now().toString());
        PipelineClassifier.save(model, labels, about, HadoopFiles.qualify(o.output().resolve(MODEL_DIR).toString(), hconf), hconf);
        Json.writeFile(o.output().resolve(EvaluateJob.METRICS_FILE), metrics);
        Json.writeFile(o.output().resolve("baseline.json"), about);
        docs.unpersist();
        return new Result(metrics, best, tried);
    }

    /**
     * A pipeline bundle's metrics on one split of a classification dataset's documents, measured as {@link #run}
     * measures them (the quality gate's metrics other than accuracy).
     */
    static ClassificationMetrics evaluate(String bundleDir, String data, String split, JavaSparkContext sc) {
        Configuration hconf = sc.hadoopConfiguration();
        LabelMap labels = Manifest.labels(data, hconf);
        LabelMap own = HadoopFiles.readJson(bundleDir + "/" + LabelMap.FILE, LabelMap.class, hconf);
        if (!labels.equals(own)) {
            throw new UserException("the pipeline " + bundleDir + " predicts the labels " + own.labels() + "; dataset " + data + " has "
                    + labels.labels());
        }
        PipelineModel model = PipelineModel.load(bundleDir + "/" + Bundles.PIPELINE_DIR);
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> docs = spark.read().parquet(data + "/" + ClassificationPrep.DOCS_DIR).filter(col("split").equalTo(split))
                .withColumn("y", indexOf(labels));
        return metrics(model, docs, labels, bundleDir, split);
    }

    private static org.apache.spark.sql.Column indexOf(LabelMap labels) {
        org.apache.spark.sql.Column c = org.apache.spark.sql.functions.lit(null).cast("double");
        for (int i = labels.size() - 1; i >= 0; i--) {
            c = org.apache.spark.sql.functions.when(col("label").equalTo(labels.name(i)), (double) i).otherwise(c);
        }
        return c;
    }

    static Pipeline pipeline(double regParam) {
        List<PipelineStage> stages = new ArrayList<>();
        stages.add(new Tokenizer().setInputCol("text").setOutputCol("words"));
        stages.add(new NGram().setN(2).setInputCol("words").setOutputCol("bigrams"));
        stages.add(new CountVectorizer().setInputCol("words").setOutputCol("tf1").setMinDF(2));
        stages.add(new CountVectorizer().setInputCol("bigrams").setOutputCol("tf2").setMinDF(2));
        stages.add(new IDF().setInputCol("tf1").setOutputCol("idf1"));
        stages.add(new IDF().setInputCol("tf2").setOutputCol("idf2"));
        stages.add(new VectorAssembler().setInputCols(new String[] {"idf1", "idf2"}).setOutputCol("features"));
        stages.add(new LogisticRegression().setLabelCol("y").setFeaturesCol("features").setRegParam(regParam).setMaxIter(100));
        return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
    }

    /** Metrics in the schema of every Nightjar classifier: the evaluated split's probabilities, streamed in chunks. */
    static ClassificationMetrics metrics(PipelineModel model, Dataset<Row> split, LabelMap labels, String name, String splitName) {
        Dataset<Row> scored = model.transform(split).select(col("y"), functions.vector_to_array(col("probability"), "float64"));
        ClassifierEvaluation eval = new ClassifierEvaluation(labels.labels());
        int k = labels.size();
        List<double[]> y = new ArrayList<>();
        List<double[]> p = new ArrayList<>();
        Iterator<Row> rows = scored.toLocalIterator();
        while (rows.hasNext() || !y.isEmpty()) {
            if (rows.hasNext()) {
                Row r = rows.next();
                double[] oneHot = new double[k];
                oneHot[(int) r.getDouble(0)] = 1;
                y.add(oneHot);
                List<Double> probs = r.getList(1);
                p.add(probs.stream().mapToDouble(Double::doubleValue).toArray());
            }
            if (y.size() == 4096 || (!rows.hasNext() && !y.isEmpty())) {
                eval.eval(Nd4j.create(y.toArray(double[][]::new)).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                        Nd4j.create(p.toArray(double[][]::new)).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
                y.clear();
                p.clear();
            }
        }
        return ClassificationMetrics.of(name, splitName, eval, labels.labels());
    }
}
