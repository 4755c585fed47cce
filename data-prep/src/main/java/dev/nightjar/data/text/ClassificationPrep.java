package dev.nightjar.data.text;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Splits;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nightjar.model.LabelMap;
import dev.nightjar.text.Segmenter;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

/**
 * Prepares a classification dataset from labelled text (csv, jsonl, parquet): read the text and
 * label columns → clean → map labels to indices (rows with a missing or unknown label are counted,
 * not used) → stratified splits by content hash → encode for the classifier (an end marker, then at
 * most max-len - 1 tokens; longer documents are truncated and counted) → shards of minibatches,
 * plus manifest.json, labels.json, tokenizer.json, prep-report.json and {@code docs/} (Parquet:
 * split, label, text; what a baseline model trains on). Built in a temporary directory, then renamed.
 *
 * <p>Splits are stratified: within each label, a document's seeded content hash is compared with
 * that label's quantiles, so every split holds each label in the same proportion, and a document
 * keeps its split on every run.
 *
 * <p>With {@code folds} = k > 0 the splits are fold {@code fold} of k-fold cross-validation
 * ({@link FoldSplit}): within each label, documents are ranked by the same seeded hash (duplicates
 * share a rank, hence a split); rank r is test when r % k == fold, validation takes val-fraction of
 * the label evenly from the rest, and test-fraction is ignored. Across the k folds every document is
 * in test exactly once.
 */
public final class ClassificationPrep {
    public static final String DOCS_DIR = "docs";
    private static final Logger LOG = LoggerFactory.getLogger(ClassificationPrep.class);

    /**
     * @param input         the labelled corpus (csv, jsonl, parquet) and its text column
     * @param labelCol      the label column (for a csv without header: its 0-based index)
     * @param labels        the labels in index order; null = every label found, sorted
     * @param output        dataset directory to create
     * @param tokenizer     char | word | bpe, when a new tokenizer is built from the train split
     * @param tokenizerFrom a tokenizer.json, or a model or dataset directory holding one, to reuse; or null
     * @param maxLen        ids kept per document, the leading end marker included
     * @param batchSize     documents per shard record (the training minibatch)
     * @param valFraction   share of each label's documents for validation
     * @param testFraction  share of each label's documents for test (ignored when folds > 0)
     * @param seed          split seed
     * @param minCount      minimum train count of a token (new tokenizer)
     * @param maxVocab      most tokens kept besides the reserved ids (new tokenizer)
     * @param overwrite     replace an existing output
     * @param folds         k-fold cross-validation: k >= 2; 0 = off (splits by val- and test-fraction)
     * @param fold          with folds = k: the fold that is the test split, in [0, k)
     * @param extendVocabulary with a reused tokenizer: append the train split's tokens it lacks (min-count, max-vocab)
     * @param vocabSize     bpe: ids in all (new tokenizer)
     * @param bpePieces     bpe: most frequent distinct pieces the merges are learned from (new tokenizer)
     */
    public record Options(TextInput input, String labelCol, List<String> labels, String output, String tokenizer,
                          String tokenizerFrom, int maxLen, int batchSize, double valFraction, double testFraction,
                          long seed, long minCount, int maxVocab, boolean overwrite, int folds, int fold,
                          boolean extendVocabulary, int vocabSize, int bpePieces) implements Serializable {

        /** Options with the default bpe settings (prepare.text.vocab-size, prepare.text.bpe-pieces). */
        public Options(TextInput input, String labelCol, List<String> labels, String output, String tokenizer, String tokenizerFrom,
                       int maxLen, int batchSize, double valFraction, double testFraction, long seed, long minCount, int maxVocab,
                       boolean overwrite, int folds, int fold, boolean extendVocabulary) {
            this(input, labelCol, labels, output, tokenizer, tokenizerFrom, maxLen, batchSize, valFraction, testFraction, seed, minCount,
                    maxVocab, overwrite, folds, fold, extendVocabulary, TextPrepConfig.VOCAB_SIZE.defaultValue(),
                    TextPrepConfig.BPE_PIECES.defaultValue());
        }
    }

    /**
     * {@code prep-report.json} of a classification dataset.
     *
     * @param documents read, kept, dropped and dropped by reason (malformed_row, missing_text, missing_label, unknown_label, empty)
     * @param inputCount the input's lines counted apart from its reader, the lines the rows read span, and invalid UTF-8
     * @param splits    per split: documents per label, documents truncated to max-len, stored ids
     */
    public record Report(String input, String labelCol, List<String> labels, int maxLen,
                         TextPrepReport.Documents documents, Map<String, SplitReport> splits, TextSources.InputCount inputCount,
                         @JsonInclude(JsonInclude.Include.NON_NULL) TextPrep.BpeTraining tokenizerTraining) {
    }

    public record SplitReport(long documents, Map<String, Long> byLabel, long truncated, long tokens) {
    }

    public record Result(Manifest manifest, Report report, LabelMap labels, Tokenizer tokenizer) {
    }

    private final JavaSparkContext sc;
    private final SparkSession spark;
    private final Configuration conf;

    public ClassificationPrep(JavaSparkContext sc) {
        this.sc = sc;
        this.spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        this.conf = sc.hadoopConfiguration();
    }

    public Result run(Options o) {
        checkSplits(o.valFraction(), o.testFraction(), o.folds(), o.fold());
        if (o.labelCol() == null || o.labelCol().isBlank()) {
            throw new UserException("--task classification needs --label-col");
        }
        if (o.input().textCol() == null || o.input().textCol().isBlank()) {
            throw new UserException("--format " + o.input().format() + " needs --text-col");
        }
        if (o.maxLen() < 2) {
            throw new UserException("prepare.classification.max-len must be at least 2 (the end marker and one token), got " + o.maxLen());
        }
        String output = HadoopFiles.qualify(o.output(), conf);
        if (HadoopFiles.exists(output, conf) && !o.overwrite()) {
            throw new UserException("output already exists: " + o.output() + " (use --overwrite to replace it)");
        }
        List<String> paths = o.input().paths().stream().map(p -> HadoopFiles.qualify(p, conf)).toList();
        Tokenizer reused = o.tokenizerFrom() == null ? null : Manifest.tokenizer(HadoopFiles.qualify(o.tokenizerFrom(), conf), conf);
        TextSources.Table input = TextSources.table(spark, paths, o.input().format(), List.of(o.input().textCol(), o.labelCol()));
        Dataset<Row> table = input.rows();
        LabelMap labels = new LabelMap(o.labels() != null ? o.labels() : foundLabels(table, o));

        Dataset<Row> docs = table.map(new CleanLabelledRow(labels, o.seed()), Encoders.row(CleanLabelledRow.SCHEMA))
                .persist(StorageLevel.MEMORY_AND_DISK());
        String tmp = HadoopFiles.tempSibling(output);
        Dataset<Row> kept = null;
        try {
            Map<String, Long> dropped = new TreeMap<>();
            long lines = 0;
            for (Row r : docs.groupBy("reject").agg(count(lit(1)), sum(coalesce(col("lines"), lit(0L)))).collectAsList()) {
                if (!r.isNullAt(0)) {
                    dropped.put(r.getString(0), r.getLong(1));
                }
                lines += r.getLong(2);
            }
            TextSources.InputCount inputCount = TextSources.count(sc, input, lines);
            if (!inputCount.balanced()) {
                LOG.error("{} input lines of {} are in no row read (read {} rows over {} lines): rows were lost", inputCount.unaccountedLines(),
                        paths, docs.count(), lines);
            }
            kept = o.folds() > 0
                    // the ranks take a shuffle and a sort; computed once, not again for each of the writes below
                    ? foldSplits(docs.filter(col("reject").isNull()), o).persist(StorageLevel.MEMORY_AND_DISK())
                    : docs.filter(col("reject").isNull()).withColumn("split", split(docs, labels, o));
            boolean extend = reused != null && o.extendVocabulary() && reused.segmenter() != Segmenter.BPE;
            if (reused != null && o.extendVocabulary() && !extend) {
                LOG.info("the reused tokenizer is bpe: it knows every text, so --extend-vocabulary adds nothing");
            }
            TextPrep.Built built = reused != null && !extend ? new TextPrep.Built(reused, null) : TextPrep.buildTokenizer(
                    kept.filter(col("split").equalTo(Splits.TRAIN)).select("text").toJavaRDD().map(new TextToDoc()),
                    new DocumentReader(o.seed(), 0, 0), new TextPrep.TokenizerSpec(reused != null ? reused.type() : o.tokenizer(),
                            o.minCount(), o.maxVocab(), o.vocabSize(), o.bpePieces()), paths);
            Tokenizer tokenizer = built.tokenizer();
            if (extend) {
                tokenizer = reused.extendedWith(tokenizer);
                LOG.info("the reused tokenizer of {} tokens, extended with the train split's: {}", reused.size(), tokenizer.size());
            }
            LOG.info("{}; labels {}", tokenizer, labels.labels());

            kept.select("split", "label", "text").write().parquet(tmp + "/" + DOCS_DIR);
            List<WriteLabelledShards.Written> written = kept.select("split", "label_index", "text", "order")
                    .repartition(sc.defaultParallelism(), col("order"))
                    .sortWithinPartitions("split", "order")
                    .toJavaRDD()
                    .mapPartitionsWithIndex(new WriteLabelledShards(tmp + "/" + Manifest.SHARD_DIR, tokenizer, o.maxLen(), o.batchSize()), false)
                    .collect();
            Report report = report(o, labels, kept, dropped, written, inputCount, built.training());
            if (!report.splits().containsKey(Splits.TRAIN)) {
                throw new UserException("no labelled document to train on in " + paths + ": dropped " + dropped);
            }
            List<ShardInfo> shards = new ArrayList<>(written.stream().map(WriteLabelledShards.Written::shard).toList());
            shards.sort(Comparator.comparing(ShardInfo::file));
            Map<String, Manifest.SplitCounts> splits = new LinkedHashMap<>();
            report.splits().forEach((split, r) -> splits.put(split, new Manifest.SplitCounts(r.documents(),
                    shards.stream().filter(s -> s.split().equals(split)).mapToLong(ShardInfo::records).sum(), r.tokens())));
            Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, LabelledBatch.KIND, Instant.now().toString(), null,
                    labels.size(), o.batchSize(), splits, shards, paths, Manifest.contentHash(shards), prepConfig(o),
                    new Manifest.TextInfo(o.maxLen(), tokenizer.size(), tokenizer.type()));
            manifest.write(tmp, conf);
            HadoopFiles.writeString(tmp + "/" + LabelMap.FILE, Json.write(labels) + "\n", conf);
            HadoopFiles.writeString(tmp + "/" + Tokenizer.FILE, Json.write(tokenizer) + "\n", conf);
            HadoopFiles.writeString(tmp + "/" + TextPrep.REPORT_FILE, Json.write(report) + "\n", conf);
            HadoopFiles.publishDir(tmp, output, conf);
            LOG.info("prepared {}: {} shards, splits {}", output, shards.size(), splits);
            return new Result(manifest, report, labels, tokenizer);
        } catch (RuntimeException e) {
            HadoopFiles.delete(tmp, conf);
            throw e;
        } finally {
            if (kept != null && o.folds() > 0) {
                kept.unpersist();
            }
            docs.unpersist();
        }
    }

    /**
     * The split options make sense together: without folds, fold is 0 and the fractions leave documents to train
     * on; with folds = k, k >= 2, fold in [0, k) and val-fraction below 1 - 1/k. Fails with a {@link UserException}.
     */
    static void checkSplits(double valFraction, double testFraction, int folds, int fold) {
        if (folds == 0) {
            if (fold != 0) {
                throw new UserException("--fold (prepare.classification.fold) " + fold
                        + " needs --folds (prepare.classification.folds) >= 2");
            }
            if (valFraction < 0 || testFraction < 0 || valFraction + testFraction >= 1) {
                throw new UserException("--val-fraction and --test-fraction must be >= 0 and leave some documents for training");
            }
            return;
        }
        if (folds < 2) {
            throw new UserException("--folds (prepare.classification.folds) must be 0 (off) or at least 2, got " + folds);
        }
        if (fold < 0 || fold >= folds) {
            throw new UserException("--fold (prepare.classification.fold) must be in [0, " + (folds - 1) + "] with --folds "
                    + folds + ", got " + fold);
        }
        double most = 1 - 1.0 / folds;
        if (valFraction < 0 || valFraction >= most) {
            throw new UserException("--val-fraction must be >= 0 and below 1 - 1/folds = " + most + " with --folds " + folds
                    + " (test takes 1/" + folds + " of each label; the rest must leave documents for training), got "
                    + valFraction);
        }
    }

    /** Every label of a well-formed row, sorted; a label column with over 1,000 values is surely the wrong one. */
    private static List<String> foundLabels(Dataset<Row> table, Options o) {
        List<String> found = table.filter(col(TextSources.CORRUPT).isNull().and(table.col(table.columns()[1]).isNotNull()))
                .select(table.col(table.columns()[1]).cast("string")).distinct().limit(1001).collectAsList().stream()
                .map(r -> r.getString(0).strip()).filter(s -> !s.isEmpty()).distinct().sorted().toList();
        if (found.size() > 1000) {
            throw new UserException("--label-col " + o.labelCol() + " has over 1,000 distinct values; is it the label column?");
        }
        if (found.size() < 2) {
            throw new UserException("--label-col " + o.labelCol() + " holds " + found + "; a classifier needs at least 2 labels");
        }
        return found;
    }

    /** test, validation or train: the document's hash against its label's quantiles. */
    private static Column split(Dataset<Row> docs, LabelMap labels, Options o) {
        List<Row> quantiles = docs.filter(col("reject").isNull()).groupBy("label_index")
                .agg(percentile_approx(col("unit"), array(lit(o.testFraction()), lit(o.testFraction() + o.valFraction())), lit(100_000)))
                .collectAsList();
        Column split = null;
        for (Row q : quantiles) {
            int label = q.getInt(0);
            List<Double> cut = q.getList(1);
            Column mine = col("label_index").equalTo(label);
            // the q-quantile is the hash at rank q * n: at or below it are q * n documents; a zero fraction puts none in its split
            Column test = mine.and(lit(o.testFraction() > 0)).and(col("unit").leq(cut.get(0)));
            Column val = mine.and(lit(o.valFraction() > 0)).and(col("unit").leq(cut.get(1)));
            split = (split == null ? when(test, Splits.TEST) : split.when(test, Splits.TEST)).when(val, Splits.VALIDATION);
        }
        return split == null ? lit(Splits.TRAIN) : split.otherwise(Splits.TRAIN);
    }

    /**
     * The documents with their split in fold {@code o.fold()} of {@code o.folds()} ({@link FoldSplit}). The
     * ranks are taken on the distinct (label, hash) pairs only, one window partition per label, so duplicates
     * (the same cleaned text, the same hash) share a rank and a split, and no text goes through the sort;
     * the splits are then joined back onto the documents.
     */
    private static Dataset<Row> foldSplits(Dataset<Row> kept, Options o) {
        UserDefinedFunction foldSplit = udf(new FoldSplit(o.folds(), o.fold(), o.valFraction()), DataTypes.StringType);
        Dataset<Row> ranked = kept.select(col("label_index").as("fold_label"), col("unit").as("fold_unit")).distinct()
                .withColumn("fold_rank", row_number().over(Window.partitionBy("fold_label").orderBy("fold_unit")))
                .withColumn("fold_count", max("fold_rank").over(Window.partitionBy("fold_label")))
                .select(col("fold_label"), col("fold_unit"), foldSplit.apply(col("fold_rank"), col("fold_count")).as("split"));
        return kept.join(ranked, col("label_index").equalTo(col("fold_label")).and(col("unit").equalTo(col("fold_unit"))))
                .drop("fold_label", "fold_unit");
    }

    private static Report report(Options o, LabelMap labels, Dataset<Row> kept, Map<String, Long> dropped,
                                 List<WriteLabelledShards.Written> written, TextSources.InputCount inputCount,
                                 TextPrep.BpeTraining training) {
        Map<String, Map<String, Long>> byLabel = new TreeMap<>();
        for (Row r : kept.groupBy("split", "label").agg(count(lit(1))).collectAsList()) {
            byLabel.computeIfAbsent(r.getString(0), s -> new LinkedHashMap<>()).put(r.getString(1), r.getLong(2));
        }
        Map<String, SplitReport> splits = new LinkedHashMap<>();
        for (String split : List.of(Splits.TRAIN, Splits.VALIDATION, Splits.TEST)) {
            Map<String, Long> counts = byLabel.get(split);
            if (counts == null) {
                continue;
            }
            Map<String, Long> ordered = new LinkedHashMap<>();
            labels.labels().forEach(l -> ordered.put(l, counts.getOrDefault(l, 0L)));
            List<WriteLabelledShards.Written> mine = written.stream().filter(w -> w.shard().split().equals(split)).toList();
            splits.put(split, new SplitReport(ordered.values().stream().mapToLong(Long::longValue).sum(), ordered,
                    mine.stream().mapToLong(WriteLabelledShards.Written::truncated).sum(),
                    mine.stream().mapToLong(WriteLabelledShards.Written::tokens).sum()));
        }
        long keptDocs = splits.values().stream().mapToLong(SplitReport::documents).sum();
        long drop = dropped.values().stream().mapToLong(Long::longValue).sum();
        return new Report(o.input().toString(), o.labelCol(), labels.labels(), o.maxLen(),
                new TextPrepReport.Documents(keptDocs + drop, keptDocs, drop, dropped), splits, inputCount, training);
    }

    private static Map<String, Object> prepConfig(Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", "classification");
        m.put("input", o.input().toString());
        m.put("label_col", o.labelCol());
        m.put("labels", o.labels());
        m.put("tokenizer", o.tokenizerFrom() == null ? o.tokenizer() : null);
        m.put("tokenizer_from", o.tokenizerFrom());
        m.put("max_len", o.maxLen());
        m.put("batch_size", o.batchSize());
        m.put("val_fraction", o.valFraction());
        m.put("test_fraction", o.folds() > 0 ? null : o.testFraction()); // ignored with folds
        m.put("folds", o.folds());
        m.put("fold", o.fold());
        m.put("seed", o.seed());
        if ("bpe".equals(o.tokenizer()) && o.tokenizerFrom() == null) {
            m.put("vocab_size", o.vocabSize());
            m.put("bpe_pieces", o.bpePieces());
        }
        return m;
    }

    /** A cleaned text row as a document, for the vocabulary count. */
    public static final class TextToDoc implements org.apache.spark.api.java.function.Function<Row, RawDoc> {
        private static final long serialVersionUID = 1L;

        @Override
        public RawDoc call(Row r) {
            return RawDoc.ofText(r.getString(0));
        }
    }
}
