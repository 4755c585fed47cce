package dev.nightjar.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueFactory;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Schema;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.text.ClassificationPrepConfig;
import dev.nightjar.data.text.TextPrepConfig;
import dev.nightjar.score.ScoreConfig;
import dev.nightjar.storage.Registry;
import dev.nightjar.train.TrainConfig;
import org.apache.hadoop.conf.Configuration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validated {@code compare.*} for {@link CompareJob}: the number of folds, the reference and
 * the candidates, each with its own resolved config; plus the keys of the compare config that every
 * candidate shares: the split (the top-level seed, {@code prepare.classification.val-fraction}) and
 * how test documents are read ({@code score.batch-size}).
 *
 * @param folds       k of the stratified k-fold cross-validation
 * @param reference   the candidate the others are paired with
 * @param candidates  in the order of {@code compare.candidates}
 * @param seed        the split seed (every candidate's folds are the same)
 * @param valFraction each label's share of validation documents in every fold
 * @param batchSize   documents per inference batch when the test fold is scored
 */
public record CompareConfig(int folds, String reference, List<Candidate> candidates, long seed, double valFraction, int batchSize) {
    public static final Setting<Integer> FOLDS = Setting.intIn("compare.folds", 5, 2, 100,
            "k of the stratified k-fold cross-validation: every candidate is trained k times, once per fold, and tested on "
                    + "that fold (1/k of each label); over the k folds every document is tested exactly once. --folds overrides it.");
    public static final Setting<String> REFERENCE = Setting.string("compare.reference", "",
            "The candidate the others are paired with (per-fold differences, folds won, McNemar); empty = the first candidate.");
    public static final Setting<List<ConfigObject>> CANDIDATES = Setting.objects("compare.candidates",
            "The models to compare, each an object: { name = N, config = JOB_FILE (a path or classpath:NAME), tokenizer-from = "
                    + "MODEL_OR_VECTORS_DIR (optional: its tokenizer prepares this candidate's data), init-from = BUNDLE (optional: "
                    + "start from it, as train --init-from), tokenizer = char|word|bpe (optional, without tokenizer-from), set = { KEY = "
                    + "VALUE ... } (optional: overrides over the job file) }, or { name = N, baseline = true } for the MLlib baseline. "
                    + "A candidate's config is the defaults < its job file < its set < the command's --set. Names are unique and name "
                    + "the fold directories.");

    public static final Section SECTION = new Section("compare", "k-fold comparison of text classifiers",
            "nightjar compare: the candidates trained and tested on the same k folds of a labelled corpus. The split uses the "
                    + "compare config's top-level seed and prepare.classification.val-fraction, and test documents are read in "
                    + "batches of score.batch-size; everything else a candidate does comes from its own config.",
            CompareConfig.class, FOLDS, REFERENCE, CANDIDATES);

    /** The keys a candidate object may have. */
    public static final List<String> CANDIDATE_KEYS = List.of("name", "config", "tokenizer-from", "init-from", "tokenizer", "set", "baseline");

    /**
     * One candidate.
     *
     * @param name          unique; its fold directories are named after it
     * @param where         where it was declared, {@code compare.candidates[i]}, for messages
     * @param baseline      the MLlib baseline (no config, tokenizer or init-from)
     * @param jobFile       its job file; null for the baseline
     * @param config        its resolved, validated config; null for the baseline
     * @param tokenizerFrom a tokenizer.json, or a model, vectors or dataset directory holding one, that prepares its data; or null
     * @param initFrom      a bundle (or registry reference) its training starts from; or null
     */
    public record Candidate(String name, String where, boolean baseline, String jobFile, Config config, String tokenizerFrom,
                            String initFrom) {
        /**
         * How this network's data is prepared for a fold: its own tokenizer, length and minibatch settings, the shared
         * split. Candidates with equal options share one prepared dataset.
         */
        public ClassificationPrepConfig prep(CompareConfig c, int fold) {
            if (baseline) {
                throw new IllegalStateException("the baseline reads any fold dataset's documents");
            }
            return new ClassificationPrepConfig(TextPrepConfig.TOKENIZER.get(config), TextPrepConfig.MIN_COUNT.get(config),
                    TextPrepConfig.MAX_VOCAB.get(config), ClassificationPrepConfig.MAX_LEN.get(config),
                    ClassificationPrepConfig.BATCH_SIZE.get(config), c.valFraction(), ClassificationPrepConfig.TEST_FRACTION.get(config),
                    c.seed(), c.folds(), fold, ClassificationPrepConfig.EXTEND_VOCABULARY.get(config), TextPrepConfig.VOCAB_SIZE.get(config),
                    TextPrepConfig.BPE_PIECES.get(config));
        }

        @Override
        public String toString() {
            return where;
        }
    }

    public CompareConfig {
        candidates = List.copyOf(candidates);
        double most = 1 - 1.0 / folds;
        if (valFraction >= most) {
            throw new UserException("prepare.classification.val-fraction must be below 1 - 1/compare.folds = " + most + " with "
                    + folds + " folds (test takes 1/" + folds + " of each label; the rest must leave documents to train on), got "
                    + valFraction);
        }
    }

    /**
     * Reads and checks {@code compare.*} and every candidate's config.
     *
     * @param c         the resolved compare config (defaults &lt; job file &lt; --set)
     * @param overrides the command's --set layer, which applies to every candidate too
     * @param only      the candidates to compare, by name (--candidates); null = all
     */
    public static CompareConfig from(Config c, Config overrides, List<String> only) {
        List<ConfigObject> declared = CANDIDATES.get(c);
        if (declared.isEmpty()) {
            throw new UserException("config key 'compare.candidates' is empty: list the models to compare, e.g. "
                    + "compare.candidates = [{ name = cnn, config = \"classpath:sentiment-cnn.conf\" }, { name = baseline, baseline = true }] "
                    + "(conf/compare-sentiment.conf is an example)");
        }
        List<Candidate> all = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            Candidate cand = candidate(declared.get(i), CANDIDATES.key() + "[" + i + "]", overrides);
            String before = seen.putIfAbsent(cand.name(), cand.where());
            if (before != null) {
                throw new UserException(cand.where() + ": name '" + cand.name() + "' is taken by " + before + "; candidate names must be unique");
            }
            all.add(cand);
        }
        List<Candidate> chosen = all;
        if (only != null) {
            for (String n : only) {
                if (!seen.containsKey(n)) {
                    throw new UserException("--candidates: no candidate named '" + n + "' in compare.candidates (there are: "
                            + String.join(", ", all.stream().map(Candidate::name).toList()) + ")");
                }
            }
            chosen = all.stream().filter(x -> only.contains(x.name())).toList();
        }
        String reference = REFERENCE.get(c);
        if (reference.isEmpty()) {
            reference = chosen.get(0).name();
        } else if (chosen.stream().map(Candidate::name).noneMatch(reference::equals)) {
            throw new UserException("config key 'compare.reference' must name one of the candidates compared ("
                    + String.join(", ", chosen.stream().map(Candidate::name).toList()) + "), got '" + reference + "'");
        }
        return new CompareConfig(FOLDS.get(c), reference, chosen, Configs.SEED.get(c), ClassificationPrepConfig.VAL_FRACTION.get(c),
                ScoreConfig.BATCH_SIZE.get(c));
    }

    /** One entry of compare.candidates, its keys checked and its config resolved and validated. */
    private static Candidate candidate(ConfigObject o, String at, Config overrides) {
        Set<String> unknown = new TreeSet<>(o.keySet());
        CANDIDATE_KEYS.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            throw new UserException("unknown config key '" + at + "." + key + "' (a candidate takes: " + String.join(", ", CANDIDATE_KEYS) + ")");
        }
        Config e = o.toConfig();
        String name = string(e, "name", at);
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new UserException("config key '" + at + ".name' must be a name of letters, digits, '.', '_' and '-' (it names "
                    + "directories), got " + (name == null ? "nothing" : "'" + name + "'"));
        }
        String where = at + " (" + name + ")";
        boolean baseline;
        try {
            baseline = e.hasPath("baseline") && e.getBoolean("baseline");
        } catch (ConfigException.WrongType x) {
            throw new UserException("config key '" + at + ".baseline' must be true or false");
        }
        String jobFile = string(e, "config", at);
        String tokenizerFrom = string(e, "tokenizer-from", at);
        String initFrom = string(e, "init-from", at);
        String tokenizer = string(e, "tokenizer", at);
        if (baseline) {
            for (String k : List.of("config", "tokenizer-from", "init-from", "tokenizer", "set")) {
                if (e.hasPath(k)) {
                    throw new UserException(where + ": the baseline takes no '" + k + "' (it is MLlib's TF-IDF and logistic "
                            + "regression on each fold's documents)");
                }
            }
            return new Candidate(name, where, true, null, null, null, null);
        }
        if (jobFile == null) {
            throw new UserException("config key '" + at + ".config' is missing: candidate '" + name + "' needs config = JOB_FILE "
                    + "(a path, or classpath:NAME such as classpath:sentiment-cnn.conf), or baseline = true");
        }
        if (tokenizer != null && tokenizerFrom != null) {
            throw new UserException(where + ": tokenizer and tokenizer-from exclude each other (tokenizer-from brings its own)");
        }
        Config set;
        try {
            set = e.hasPath("set") ? e.getConfig("set") : ConfigFactory.empty();
        } catch (ConfigException.WrongType x) {
            throw new UserException("config key '" + at + ".set' must be an object of config keys, e.g. set { train.epochs = 3 }");
        }
        Config chosenTokenizer = tokenizer == null ? ConfigFactory.empty()
                : ConfigFactory.empty().withValue(TextPrepConfig.TOKENIZER.key(), ConfigValueFactory.fromAnyRef(
                TextPrepConfig.TOKENIZER.check(tokenizer, "config key '" + at + ".tokenizer'")));
        Config resolved;
        try {
            Schema schema = Schema.application();
            resolved = schema.validate(schema.resolve(Configs.parseJobFile(jobFile), set, chosenTokenizer, overrides));
            TrainConfig.from(resolved);
        } catch (UserException x) {
            throw new UserException(where + ", config " + jobFile + (set.isEmpty() ? "" : " with its set") + ": " + x.getMessage(), x);
        }
        return new Candidate(name, where, false, jobFile, resolved, tokenizerFrom, initFrom);
    }

    /** A string key of a candidate, or null when it is absent or null. */
    private static String string(Config e, String key, String at) {
        try {
            return e.hasPath(key) ? e.getString(key) : null;
        } catch (ConfigException.WrongType x) {
            throw new UserException("config key '" + at + "." + key + "' must be a string");
        }
    }

    /**
     * This config with registry references in tokenizer-from resolved to their versions (init-from is resolved by
     * train), after checking that every tokenizer-from and init-from exists: before Spark starts.
     */
    public CompareConfig checkPaths(Configuration conf) {
        List<Candidate> checked = new ArrayList<>();
        for (Candidate x : candidates) {
            for (String[] p : new String[][]{{"tokenizer-from", x.tokenizerFrom()}, {"init-from", x.initFrom()}}) {
                if (p[1] != null && !Registry.isReference(p[1]) && !HadoopFiles.exists(p[1], conf)) {
                    throw new UserException(x.where() + "." + p[0] + ": not found: " + p[1]);
                }
            }
            String tokenizerFrom = x.tokenizerFrom() != null && Registry.isReference(x.tokenizerFrom())
                    ? Registry.resolve(x.tokenizerFrom(), conf) : x.tokenizerFrom();
            checked.add(new Candidate(x.name(), x.where(), x.baseline(), x.jobFile(), x.config(), tokenizerFrom, x.initFrom()));
        }
        return new CompareConfig(folds, reference, checked, seed, valFraction, batchSize);
    }
}
