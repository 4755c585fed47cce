package dev.nightjar.jobs;

import com.typesafe.config.ConfigRenderOptions;
import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.data.text.ClassificationPrepConfig;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrepConfig;
import dev.nightjar.eval.ModelComparison;
import dev.nightjar.score.Reading;
import dev.nightjar.util.AtomicFiles;
import dev.nightjar.util.Json;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;

/**
 * {@code nightjar compare}: stratified k-fold cross-validation of several text classifiers on one
 * labelled corpus. For each fold: prepare the fold once per distinct preparation (tokenizer, length,
 * minibatch; the split is the same for all), train every candidate on it ({@link Candidates}), and
 * read the fold's test documents with every candidate ({@link ModelComparison}, paired with the
 * reference); then sum up the folds ({@link CompareResult}) into {@code OUTPUT/compare.json}.
 *
 * <p>The output directory keeps each fold's datasets and models ({@code fold-I/data-HASH},
 * {@code fold-I/NAME}) and {@code compare-plan.json}, what was asked. A re-run with the same output
 * resumes: a prepared dataset or a trained candidate ({@code fold-I/NAME/trained.json}) is reused, an
 * interrupted training resumes from its checkpoints, and the test folds are read again. It refuses
 * when the corpus, split or a candidate's settings differ from the plan's, unless {@code overwrite}.
 */
public final class CompareJob {
    public static final String RESULT_FILE = "compare.json";
    public static final String PLAN_FILE = "compare-plan.json";
    public static final String TRAINED_FILE = "trained.json";
    private static final Logger LOG = LoggerFactory.getLogger(CompareJob.class);

    /**
     * @param config    the folds, the reference and the candidates (already narrowed to --candidates)
     * @param input     the labelled corpus (csv, jsonl or parquet) and its text column
     * @param labelCol  its label column
     * @param labels    the labels in index order; null = every label found, sorted
     * @param output    the output directory (local)
     * @param overwrite start over in an output made with another plan
     */
    public record Options(CompareConfig config, TextInput input, String labelCol, List<String> labels, Path output, boolean overwrite) {
    }

    private CompareJob() {
    }

    public static CompareResult run(Options o, JavaSparkContext sc) {
        CompareConfig c = o.config();
        begin(o.output(), plan(o), o.overwrite());
        List<Map<String, ModelComparison.Result>> perFold = new ArrayList<>();
        Map<String, List<Candidates.Trained>> training = new LinkedHashMap<>();
        List<Map<String, List<String>>> datasets = new ArrayList<>();
        for (int fold = 0; fold < c.folds(); fold++) {
            Map<String, List<String>> prepared = new LinkedHashMap<>(); // dataset directory -> the candidates trained on it
            perFold.add(fold(o, fold, prepared, training, sc));
            datasets.add(prepared);
        }
        CompareResult result = CompareResult.of(c.reference(), perFold, training, datasets);
        Json.writeFile(o.output().resolve(RESULT_FILE), result);
        return result;
    }

    /** One fold: prepare, train every candidate, read the test documents with each. */
    private static Map<String, ModelComparison.Result> fold(Options o, int fold, Map<String, List<String>> prepared,
                                                            Map<String, List<Candidates.Trained>> training, JavaSparkContext sc) {
        CompareConfig c = o.config();
        Path dir = o.output().resolve("fold-" + fold);
        List<ModelComparison.Candidate> models = new ArrayList<>();
        for (CompareConfig.Candidate cand : c.candidates()) {
            // the baseline reads documents only: the first network's dataset, or one of its own when all are baselines
            CompareConfig.Candidate network = cand.baseline() ? c.candidates().stream().filter(x -> !x.baseline()).findFirst().orElse(null) : cand;
            String data = network == null ? prepare(o, baselineOnly(c, fold), null, dir, sc)
                    : prepare(o, network.prep(c, fold), network.tokenizerFrom(), dir, sc);
            prepared.computeIfAbsent(o.output().relativize(Path.of(data)).toString(), k -> new ArrayList<>()).add(cand.name());
            Candidates.Trained t = train(cand, data, dir.resolve(cand.name()), sc);
            training.computeIfAbsent(cand.name(), k -> new ArrayList<>()).add(t);
            models.add(t.candidate());
        }
        String first = o.output().resolve(prepared.keySet().iterator().next()).toString();
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> test = spark.read().parquet(HadoopFiles.qualify(first, sc.hadoopConfiguration()) + "/" + ClassificationPrep.DOCS_DIR)
                .filter(col("split").equalTo(Splits.TEST));
        Map<String, ModelComparison.Result> r = ModelComparison.run(test, models, c.reference(), Reading.firstWindow(c.batchSize()), sc);
        LOG.info("fold {} of {}: {}", fold + 1, c.folds(), r);
        return r;
    }

    /**
     * The fold's dataset for these preparation options: {@code DIR/data-HASH}, prepared unless a finished one is
     * there (a dataset is published whole, so its manifest means it is complete).
     */
    private static String prepare(Options o, ClassificationPrepConfig prep, String tokenizerFrom, Path dir, JavaSparkContext sc) {
        Path data = dir.resolve("data-" + shortHash(prepKey(prep, tokenizerFrom)));
        if (!Files.isRegularFile(data.resolve(Manifest.FILE))) {
            LOG.info("preparing fold {} of {} ({}) into {}", prep.fold() + 1, prep.folds(), prepKey(prep, tokenizerFrom), data);
            new ClassificationPrep(sc).run(prep.options(o.input(), o.labelCol(), o.labels(), data.toString(), tokenizerFrom, true));
        }
        return data.toString();
    }

    /** What makes two preparations of a fold differ (the split is the same for all). */
    private static String prepKey(ClassificationPrepConfig p, String tokenizerFrom) {
        String tokens = tokenizerFrom != null ? "tokenizer-from=" + tokenizerFrom + ",extend-vocabulary=" + p.extendVocabulary()
                + (p.extendVocabulary() ? ",min-count=" + p.minCount() + ",max-vocab=" + p.maxVocab() : "")
                : "tokenizer=" + p.tokenizer() + ",min-count=" + p.minCount() + (p.tokenizer().equals("bpe")
                        ? ",vocab-size=" + p.vocabSize() + ",bpe-pieces=" + p.bpePieces() : ",max-vocab=" + p.maxVocab());
        return tokens + ",max-len=" + p.maxLen() + ",batch-size=" + p.batchSize();
    }

    /** A fold's preparation when only baselines are compared: the defaults' tokenizer (the baseline reads text only). */
    private static ClassificationPrepConfig baselineOnly(CompareConfig c, int fold) {
        return new ClassificationPrepConfig(TextPrepConfig.TOKENIZER.defaultValue(), TextPrepConfig.MIN_COUNT.defaultValue(),
                TextPrepConfig.MAX_VOCAB.defaultValue(), ClassificationPrepConfig.MAX_LEN.defaultValue(),
                ClassificationPrepConfig.BATCH_SIZE.defaultValue(), c.valFraction(), 0, c.seed(), c.folds(), fold, false,
                TextPrepConfig.VOCAB_SIZE.defaultValue(), TextPrepConfig.BPE_PIECES.defaultValue());
    }

    /** The candidate trained on the fold's dataset, or what an earlier run of the same plan trained. */
    private static Candidates.Trained train(CompareConfig.Candidate cand, String data, Path dir, JavaSparkContext sc) {
        Path done = dir.resolve(TRAINED_FILE);
        if (Files.isRegularFile(done)) {
            LOG.info("{}: trained earlier in {}", cand, dir);
            return Json.readFile(done, Candidates.Trained.class);
        }
        Candidates.Trained t = cand.baseline() ? Candidates.baseline(sc, cand.name(), data, dir)
                : Candidates.network(sc, cand.name(), cand.config(), data, dir, cand.initFrom(), false);
        Json.writeFile(done, t);
        return t;
    }

    /**
     * What is asked, to tell a resume from a different comparison: the corpus and the split, and per candidate
     * its job file, tokenizer-from, init-from and the SHA-256 of its resolved config. As JSON values, so that it
     * compares equal to a plan read back.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> plan(Options o) {
        CompareConfig c = o.config();
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("input", o.input().paths());
        split.put("format", o.input().format());
        split.put("text_col", o.input().textCol());
        split.put("label_col", o.labelCol());
        split.put("labels", o.labels());
        split.put("folds", c.folds());
        split.put("seed", c.seed());
        split.put("val_fraction", c.valFraction());
        Map<String, Object> candidates = new LinkedHashMap<>();
        for (CompareConfig.Candidate x : c.candidates()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("baseline", x.baseline());
            m.put("config", x.jobFile());
            m.put("config_sha256", x.config() == null ? null
                    : sha256(x.config().withoutPath("compare").root().render(ConfigRenderOptions.concise())));
            m.put("tokenizer_from", x.tokenizerFrom());
            m.put("init_from", x.initFrom());
            candidates.put(x.name(), m);
        }
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("split", split);
        plan.put("candidates", candidates);
        return Json.read(Json.write(plan), LinkedHashMap.class);
    }

    /**
     * Starts or resumes in {@code out}. A new or empty directory gets the plan. One with a plan is deleted and started
     * over with {@code overwrite}; without, it is resumed when the split and every candidate also in the earlier plan
     * are unchanged (new candidates join the plan), and refused otherwise. A directory that is not a compare output
     * is never deleted.
     */
    @SuppressWarnings("unchecked")
    static void begin(Path out, Map<String, Object> plan, boolean overwrite) {
        Path file = out.resolve(PLAN_FILE);
        if (Files.exists(out) && !Files.isRegularFile(file) && !isEmptyDir(out)) {
            throw new UserException("output " + out + " exists and is not a compare output (no " + PLAN_FILE + "); choose another --output");
        }
        if (Files.isRegularFile(file) && overwrite) {
            LOG.info("--overwrite: deleting the earlier comparison in {}", out);
            AtomicFiles.deleteRecursively(out);
        } else if (Files.isRegularFile(file)) {
            Map<String, Object> before = Json.readFile(file, LinkedHashMap.class);
            String difference = difference(before, plan);
            if (difference != null) {
                throw new UserException("output " + out + " holds a comparison with another plan (" + difference + "); add "
                        + "--overwrite to start over there, or choose another --output");
            }
            Map<String, Object> candidates = new LinkedHashMap<>((Map<String, Object>) before.get("candidates"));
            candidates.putAll((Map<String, Object>) plan.get("candidates"));
            Map<String, Object> merged = new LinkedHashMap<>(plan);
            merged.put("candidates", candidates);
            Json.writeFile(file, merged);
            LOG.info("resuming the comparison in {}", out);
            return;
        }
        Json.writeFile(file, plan);
    }

    /** Why a plan cannot resume an earlier one, or null when it can. */
    @SuppressWarnings("unchecked")
    private static String difference(Map<String, Object> before, Map<String, Object> now) {
        Map<String, Object> a = (Map<String, Object>) before.get("split");
        Map<String, Object> b = (Map<String, Object>) now.get("split");
        for (String k : b.keySet()) {
            if (a == null || !Objects.equals(a.get(k), b.get(k))) {
                return k + " was " + (a == null ? null : a.get(k)) + ", now " + b.get(k);
            }
        }
        Map<String, Object> was = (Map<String, Object>) before.getOrDefault("candidates", Map.of());
        Map<String, Object> is = (Map<String, Object>) now.get("candidates");
        for (Map.Entry<String, Object> e : is.entrySet()) {
            if (was.containsKey(e.getKey()) && !Objects.equals(was.get(e.getKey()), e.getValue())) {
                return "candidate " + e.getKey() + " was " + Json.line(was.get(e.getKey())) + ", now " + Json.line(e.getValue());
            }
        }
        return null;
    }

    private static boolean isEmptyDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortHash(String s) {
        return sha256(s).substring(0, 10);
    }
}
