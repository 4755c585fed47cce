package dev.nightjar.data.text;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Splits;
import dev.nightjar.text.Segmenter;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prepares a language-model dataset: read → clean → split by content hash → count the
 * vocabulary (a reduceByKey; only the kept tokens reach the driver) → encode → sequences in
 * shards, plus manifest.json, tokenizer.json and prep-report.json. The output is built in a
 * temporary directory and renamed into place when complete.
 */
public final class TextPrep {
    public static final String REPORT_FILE = "prep-report.json";
    private static final Logger LOG = LoggerFactory.getLogger(TextPrep.class);

    /**
     * @param inputs        the corpora to read, each in its format
     * @param output        dataset directory to create
     * @param tokenizer     char | word | bpe, when a new tokenizer is built
     * @param tokenizerFrom a tokenizer.json, or a directory holding one (model or dataset), to reuse unchanged; or null
     * @param seqLen        tokens each sequence predicts
     * @param batchSize     sequences per shard record (the training minibatch)
     * @param valFraction   share of documents for validation
     * @param testFraction  share of documents for test
     * @param seed          split seed
     * @param minCount      minimum train count of a vocabulary token (bpe: of a merged pair)
     * @param maxVocab      most tokens kept besides the reserved ids (char, word)
     * @param overwrite     replace an existing output
     * @param vocabSize     bpe: ids in all, the reserved ids and the 256 bytes included
     * @param bpePieces     bpe: most frequent distinct pieces of the train split the merges are learned from
     */
    public record Options(List<TextInput> inputs, String output, String tokenizer,
                          String tokenizerFrom, int seqLen, int batchSize, double valFraction, double testFraction,
                          long seed, long minCount, int maxVocab, boolean overwrite, int vocabSize, int bpePieces) implements Serializable {

        /** Options with the default bpe settings (prepare.text.vocab-size, prepare.text.bpe-pieces). */
        public Options(List<TextInput> inputs, String output, String tokenizer, String tokenizerFrom, int seqLen, int batchSize,
                       double valFraction, double testFraction, long seed, long minCount, int maxVocab, boolean overwrite) {
            this(inputs, output, tokenizer, tokenizerFrom, seqLen, batchSize, valFraction, testFraction, seed, minCount, maxVocab,
                    overwrite, TextPrepConfig.VOCAB_SIZE.defaultValue(), TextPrepConfig.BPE_PIECES.defaultValue());
        }

        TokenizerSpec tokenizerSpec() {
            return new TokenizerSpec(tokenizer, minCount, maxVocab, vocabSize, bpePieces);
        }
    }

    /**
     * How a new tokenizer is built from the train split.
     *
     * @param type      char, word or bpe
     * @param minCount  char, word: the least train count of a token; bpe: of a merged pair
     * @param maxVocab  char, word: most tokens kept besides the reserved ids
     * @param vocabSize bpe: ids in all
     * @param bpePieces bpe: most frequent distinct pieces the merges are learned from
     */
    public record TokenizerSpec(String type, long minCount, int maxVocab, int vocabSize, int bpePieces) implements Serializable {
    }

    /** A tokenizer built from the train split, and for bpe what its training saw and left out (else null). */
    public record Built(Tokenizer tokenizer, BpeTraining training) {
    }

    /**
     * What a bpe tokenizer learned from ({@code prep-report.json}, {@code tokenizer_training}).
     *
     * @param piecesDistinct      distinct pieces in the train split
     * @param piecesKept          the most frequent of them, which the merges were learned from (prepare.text.bpe-pieces)
     * @param occurrences         pieces in the train split, counted with repeats
     * @param occurrencesKept     of them, the occurrences of the kept pieces
     * @param merges              merges learned
     * @param vocabSize           ids in all
     */
    public record BpeTraining(long piecesDistinct, long piecesKept, long occurrences, long occurrencesKept, int merges, int vocabSize)
            implements Serializable {
    }

    public record Result(Manifest manifest, TextPrepReport report, Tokenizer tokenizer) {
    }

    private final JavaSparkContext sc;
    private final Configuration conf;

    public TextPrep(JavaSparkContext sc) {
        this.sc = sc;
        this.conf = sc.hadoopConfiguration();
    }

    public Result run(Options o) {
        if (o.valFraction() < 0 || o.testFraction() < 0 || o.valFraction() + o.testFraction() >= 1) {
            throw new UserException("--val-fraction and --test-fraction must be >= 0 and leave some documents for training");
        }
        String output = HadoopFiles.qualify(o.output(), conf);
        if (HadoopFiles.exists(output, conf) && !o.overwrite()) {
            throw new UserException("output already exists: " + o.output() + " (use --overwrite to replace it)");
        }
        List<TextInput> inputs = o.inputs().stream().map(i -> new TextInput(i.format(), i.textCol(), i.delimiter(),
                i.paths().stream().map(p -> HadoopFiles.qualify(p, conf)).toList())).toList();
        Tokenizer reused = o.tokenizerFrom() == null ? null : Manifest.tokenizer(HadoopFiles.qualify(o.tokenizerFrom(), conf), conf);
        JavaRDD<RawDoc> docs = TextSources.read(sc, inputs);
        DocumentReader reader = new DocumentReader(o.seed(), o.valFraction(), o.testFraction());
        Built built = reused != null ? new Built(reused, null) : buildTokenizer(docs, reader, o.tokenizerSpec(), o.inputs());
        Tokenizer tokenizer = built.tokenizer();
        LOG.info("{}", tokenizer);

        String tmp = HadoopFiles.tempSibling(output);
        try {
            List<EncodePartition.Result> parts = docs.mapPartitionsWithIndex(
                    new EncodePartition(tmp + "/" + Manifest.SHARD_DIR, tokenizer, reader, o.seqLen(), o.batchSize()), false).collect();
            TextTally tally = new TextTally();
            List<ShardInfo> shards = new ArrayList<>();
            for (EncodePartition.Result r : parts) {
                tally.merge(r.tally());
                shards.addAll(r.shards());
            }
            for (TextInput in : inputs) {
                if (in.format().equals("csv") || in.format().equals("jsonl")) {
                    // their reader decodes as it parses and says nothing: a plain pass over their lines counts it
                    tally.invalidUtf8 += InputTally.of(sc, InputFiles.list(in.paths(), conf), in.format()).invalidUtf8();
                }
            }
            shards.sort(Comparator.comparing(ShardInfo::file));
            TextPrepReport report = TextPrepReport.of(inputs.stream().map(TextInput::toString).toList(), tally, built.training());
            if (tally.sequences(Splits.TRAIN) == 0) {
                throw new UserException("no training sequence could be made from " + o.inputs() + ": " + tally.documentsKept()
                        + " documents kept, " + tally.charsKept() + " characters (a sequence needs " + (o.seqLen() + 1)
                        + " tokens); dropped documents: " + report.documents().droppedByReason());
            }
            Map<String, Manifest.SplitCounts> splits = new LinkedHashMap<>();
            for (String split : List.of(Splits.TRAIN, Splits.VALIDATION, Splits.TEST)) {
                if (tally.sequences(split) > 0) {
                    long records = shards.stream().filter(s -> s.split().equals(split)).mapToLong(ShardInfo::records).sum();
                    splits.put(split, new Manifest.SplitCounts(tally.sequences(split), records, tally.tokens(split)));
                }
            }
            Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, TokenBatch.KIND, Instant.now().toString(), null, 0,
                    o.batchSize(), splits, shards, inputs.stream().flatMap(i -> i.paths().stream()).toList(), Manifest.contentHash(shards), prepConfig(o),
                    new Manifest.TextInfo(o.seqLen(), tokenizer.size(), tokenizer.type()));
            manifest.write(tmp, conf);
            HadoopFiles.writeString(tmp + "/" + Tokenizer.FILE, Json.write(tokenizer) + "\n", conf);
            HadoopFiles.writeString(tmp + "/" + REPORT_FILE, Json.write(report) + "\n", conf);
            HadoopFiles.publishDir(tmp, output, conf);
            LOG.info("prepared {}: {} shards, splits {}", output, shards.size(), splits);
            return new Result(manifest, report, tokenizer);
        } catch (RuntimeException e) {
            HadoopFiles.delete(tmp, conf);
            throw e;
        }
    }

    /**
     * The tokenizer of the train documents. char and word: a distributed count of the tokens; only the kept tokens
     * reach the driver. bpe: a distributed count of the pieces; the {@code bpePieces} most frequent reach the driver,
     * which learns the merges from them ({@link Tokenizer#trainBpe}).
     */
    static Built buildTokenizer(JavaRDD<RawDoc> docs, DocumentReader reader, TokenizerSpec spec, Object inputs) {
        Segmenter segmenter = Segmenter.of(spec.type());
        JavaPairRDD<String, Long> counted = docs.mapPartitionsToPair(new CountTokens(segmenter, reader)).reduceByKey(Long::sum);
        if (segmenter == Segmenter.BPE) {
            return trainBpe(counted, spec, inputs);
        }
        List<scala.Tuple2<String, Long>> top = counted
                .filter(new AtLeast(spec.minCount()))
                .takeOrdered(spec.maxVocab(), new ByCountThenToken());
        Map<String, Long> counts = top.stream().collect(Collectors.toMap(scala.Tuple2::_1, scala.Tuple2::_2));
        if (counts.isEmpty()) {
            throw new UserException("no token occurs " + spec.minCount() + " times in the train split of " + inputs);
        }
        return new Built(Tokenizer.fromCounts(segmenter, counts, spec.minCount(), spec.maxVocab()), null);
    }

    private static Built trainBpe(JavaPairRDD<String, Long> counted, TokenizerSpec spec, Object inputs) {
        counted = counted.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long distinct = counted.count();
            if (distinct == 0) {
                throw new UserException("the train split of " + inputs + " has no text to learn a bpe tokenizer from");
            }
            long occurrences = counted.values().fold(0L, Long::sum);
            List<scala.Tuple2<String, Long>> top = counted.takeOrdered(spec.bpePieces(), new ByCountThenToken());
            Map<String, Long> pieces = new HashMap<>();
            long kept = 0;
            for (scala.Tuple2<String, Long> t : top) {
                pieces.put(t._1(), t._2());
                kept += t._2();
            }
            long t0 = System.nanoTime();
            Tokenizer tokenizer = Tokenizer.trainBpe(pieces, spec.vocabSize(), spec.minCount());
            BpeTraining training = new BpeTraining(distinct, pieces.size(), occurrences, kept, tokenizer.merges().size(), tokenizer.size());
            LOG.info("bpe: {} merges learned in {} s from the {} most frequent of {} distinct pieces ({} of {} occurrences)",
                    training.merges(), String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9), pieces.size(),
                    distinct, kept, occurrences);
            return new Built(tokenizer, training);
        } finally {
            counted.unpersist();
        }
    }

    private static Map<String, Object> prepConfig(Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", o.inputs().stream().map(TextInput::toString).toList());
        m.put("tokenizer", o.tokenizer());
        m.put("tokenizer_from", o.tokenizerFrom());
        m.put("seq_len", o.seqLen());
        m.put("batch_size", o.batchSize());
        m.put("val_fraction", o.valFraction());
        m.put("test_fraction", o.testFraction());
        m.put("seed", o.seed());
        m.put("min_count", o.minCount());
        m.put("max_vocab", o.maxVocab());
        if ("bpe".equals(o.tokenizer()) && o.tokenizerFrom() == null) {
            m.put("vocab_size", o.vocabSize());
            m.put("bpe_pieces", o.bpePieces());
        }
        return m;
    }

    /** Keeps tokens counted at least {@code min} times. */
    public static final class AtLeast implements org.apache.spark.api.java.function.Function<scala.Tuple2<String, Long>, Boolean> {
        private static final long serialVersionUID = 1L;

        private final long min;

        public AtLeast(long min) {
            this.min = min;
        }

        @Override
        public Boolean call(scala.Tuple2<String, Long> t) {
            return t._2() >= min;
        }
    }

    /** Most frequent first, ties by token, so the vocabulary is the same on every run. */
    public static final class ByCountThenToken implements Comparator<scala.Tuple2<String, Long>>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(scala.Tuple2<String, Long> a, scala.Tuple2<String, Long> b) {
            int c = Long.compare(b._2(), a._2());
            return c != 0 ? c : a._1().compareTo(b._1());
        }
    }
}
