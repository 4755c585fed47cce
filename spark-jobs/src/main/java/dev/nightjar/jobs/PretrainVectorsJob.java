package dev.nightjar.jobs;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextSources;
import dev.nightjar.data.text.WordSentences;
import dev.nightjar.model.Embeddings;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.spark.Versions;
import dev.nightjar.storage.Bundles;
import dev.nightjar.text.WordVectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.Word2Vec;
import org.apache.spark.ml.feature.Word2VecModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code nightjar pretrain vectors}: word vectors trained on a user's corpus with Spark MLlib's distributed
 * word2vec (skip-gram, hierarchical softmax), written as the same word-vectors bundle that
 * {@code prepare vectors} imports ({@link Embeddings}), so either plugs into {@code train --init-from} and
 * {@code prepare text --tokenizer-from}. Documents are cleaned and cut into words by the word tokenizer's own
 * code ({@link WordSentences}), so the vocabulary is the one prepare and score produce. The words are ordered
 * by corpus frequency, most frequent first (ties by word), as GloVe and word2vec files list them.
 *
 * <p>The cut corpus is cached (memory, then disk) for its three passes: the word counts here, then MLlib's
 * vocabulary and its training. The vocabulary (words seen min-count times) and the vectors live on the
 * driver, as MLlib keeps them there.
 */
public final class PretrainVectorsJob {
    private static final Logger LOG = LoggerFactory.getLogger(PretrainVectorsJob.class);
    /** The bundle's provenance {@code source}. */
    public static final String SOURCE = "spark-mllib-word2vec";
    /** Words per word2vec sentence (MLlib's default maxSentenceLength): longer documents are cut. */
    public static final int SENTENCE_WORDS = 1000;

    public record Options(TextInput input, String output, PretrainVectorsConfig params, boolean overwrite) {
    }

    /**
     * @param corpusWords   words in the corpus (every occurrence)
     * @param distinctWords different words in the corpus
     * @param vocabulary    words seen min-count times: those MLlib trained
     * @param fitSeconds    MLlib's fit alone, all passes
     */
    public record Result(ModelBundle bundle, long corpusWords, long distinctWords, long vocabulary, int iterations, double fitSeconds) {
        /** Corpus words trained per second, every pass counted. */
        public double wordsPerSecond() {
            return (double) corpusWords * iterations / fitSeconds;
        }
    }

    private PretrainVectorsJob() {
    }

    public static Result run(Options o, JavaSparkContext sc) {
        Configuration conf = sc.hadoopConfiguration();
        TextSources.checkExists(o.input().paths(), conf); // before any computing
        String output = HadoopFiles.qualify(o.output(), conf);
        if (HadoopFiles.exists(output, conf) && !o.overwrite()) {
            throw new UserException("output already exists: " + o.output() + " (use --overwrite to replace it)");
        }
        PretrainVectorsConfig p = o.params();
        int partitions = p.numPartitions() > 0 ? p.numPartitions() : sc.defaultParallelism();
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        long begin = System.nanoTime();
        Dataset<Row> sentences = spark.createDataFrame(TextSources.read(sc, List.of(o.input())).flatMap(new WordSentences(SENTENCE_WORDS)),
                WordSentences.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> counts = sentences.select(explode(col(WordSentences.COLUMN)).as("word")).groupBy("word").count();
            Row totals = counts.agg(sum("count"), count(lit(1)), sum(when(col("count").geq(p.minCount()), 1).otherwise(0))).first();
            long corpusWords = totals.isNullAt(0) ? 0 : totals.getLong(0);
            long distinct = totals.getLong(1);
            long vocabulary = totals.isNullAt(2) ? 0 : totals.getLong(2);
            if (vocabulary == 0) {
                throw new UserException("no word occurs " + p.minCount() + " times (pretrain.vectors.min-count, --min-count) in " + o.input() + ": "
                        + corpusWords + " words read, " + distinct + " different");
            }
            if (vocabulary * p.vectorSize() >= Integer.MAX_VALUE) { // MLlib's own limit, as a user error
                throw new UserException(vocabulary + " words seen " + p.minCount() + " times, by " + p.vectorSize() + " dimensions, is more than "
                        + "MLlib's word2vec holds (2^31 numbers): raise --min-count or lower --vector-size");
            }
            LOG.info("read, cut and counted {}: {} words, {} different, {} seen {} times, in {} s", o.input(), corpusWords, distinct,
                    vocabulary, p.minCount(), seconds(begin));
            long start = System.nanoTime();
            Word2VecModel model = new Word2Vec().setInputCol(WordSentences.COLUMN).setOutputCol("vector")
                    .setVectorSize(p.vectorSize()).setWindowSize(p.window()).setMinCount(p.minCount()).setMaxIter(p.iterations())
                    .setStepSize(p.stepSize()).setNumPartitions(partitions).setSeed(p.seed()).setMaxSentenceLength(SENTENCE_WORDS)
                    .fit(sentences);
            double fitSeconds = seconds(start);
            LOG.info("word2vec: {} pass(es) over {} words on {} partition(s) in {} s", p.iterations(), corpusWords, partitions, fitSeconds);

            Dataset<Row> kept = counts.filter(col("count").geq(p.minCount())).orderBy(desc("count"), asc("word"));
            if (p.maxWords() > 0) {
                kept = kept.limit(p.maxWords());
            }
            List<Row> rows = model.getVectors().join(kept, "word").orderBy(desc("count"), asc("word")).collectAsList();
            long expected = p.maxWords() > 0 ? Math.min(p.maxWords(), vocabulary) : vocabulary;
            if (rows.size() != expected) {
                throw new IllegalStateException("MLlib trained vectors for " + rows.size() + " of the " + expected + " words counted here");
            }
            List<String> words = new ArrayList<>(rows.size());
            float[][] vectors = new float[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                words.add(rows.get(i).getString(0));
                double[] v = ((Vector) rows.get(i).getAs("vector")).toArray();
                vectors[i] = new float[v.length];
                for (int d = 0; d < v.length; d++) {
                    vectors[i][d] = (float) v[d];
                }
            }
            ModelBundle bundle = Embeddings.bundle(new WordVectors(words, vectors, p.vectorSize(), 0, 0),
                    provenance(o, partitions, sc, corpusWords, distinct, vocabulary, fitSeconds));
            Bundles.save(bundle, output, conf); // a temporary sibling, renamed into place
            LOG.info("wrote {} words to {}; {} s in all", words.size(), o.output(), seconds(begin));
            return new Result(bundle, corpusWords, distinct, vocabulary, p.iterations(), fitSeconds);
        } finally {
            sentences.unpersist();
        }
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1000.0;
    }

    private static Map<String, Object> provenance(Options o, int partitions, JavaSparkContext sc, long corpusWords, long distinct,
                                                  long vocabulary, double fitSeconds) {
        PretrainVectorsConfig p = o.params();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("vector_size", p.vectorSize());
        params.put("window", p.window());
        params.put("min_count", p.minCount());
        params.put("iterations", p.iterations());
        params.put("step_size", p.stepSize());
        params.put("num_partitions", partitions);
        params.put("max_words", p.maxWords());
        params.put("max_sentence_length", SENTENCE_WORDS);
        params.put("seed", p.seed());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", SOURCE);
        m.put("algorithm", "skip-gram with hierarchical softmax: " + Word2Vec.class.getName());
        m.put("corpus", o.input().toString());
        m.put("segmentation", "the word tokenizer's: cleaned (NFKC, controls removed, whitespace collapsed), "
                + "cut at Unicode word boundaries, lower-cased");
        m.put("parameters", params);
        m.put("corpus_words", corpusWords);
        m.put("distinct_words", distinct);
        m.put("vocabulary", vocabulary);
        m.put("fit_seconds", fitSeconds);
        m.put("spark_master", sc.master());
        m.put("versions", Versions.all(sc.version()));
        return m;
    }
}
