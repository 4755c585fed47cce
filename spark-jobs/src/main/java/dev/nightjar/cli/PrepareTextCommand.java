package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.OptionOverride;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.data.text.ClassificationPrepConfig;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.data.text.TextPrepConfig;
import dev.nightjar.storage.Registry;
import dev.nightjar.storage.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "text", mixinStandardHelpOptions = true,
        description = {"Prepare a language-model dataset: clean (NFKC, whitespace, controls), split by content hash,",
                "tokenize (char, word or byte-level BPE), cut into sequences of seq-len + 1 tokens and pack into shards.",
                "With --task classification: labelled text (csv, jsonl, parquet) for a text classifier; labels map to",
                "indices (labels.json), splits are stratified, documents are truncated to max-len and padded with masks.",
                "Counts of documents read, kept and dropped (by reason) go to prep-report.json."})
final class PrepareTextCommand implements Callable<Integer> {
    @Option(names = "--task", defaultValue = "lm", description = "lm (language modelling, the default) or classification.")
    String task;

    @Option(names = "--label-col", paramLabel = "C",
            description = "classification: the label column (for a csv without header: its 0-based index).")
    String labelCol;

    @Option(names = "--labels", split = ",", paramLabel = "A,B,...",
            description = "classification: the labels in index order; rows with another label are counted and dropped (default: every label found, sorted).")
    List<String> labels;

    @Option(names = "--max-len", description = "classification: ids kept per document, the leading end marker included (default: prepare.classification.max-len).")
    Integer maxLen;

    @Mixin
    TextInputOptions text;

    @Option(names = "--output", required = true, description = "Dataset directory to create.")
    String output;

    @Option(names = "--tokenizer", description = "char, word or bpe (default: prepare.text.tokenizer).")
    String tokenizer;

    @Option(names = "--vocab-size", paramLabel = "N",
            description = "bpe: ids in all, the 4 reserved ids and the 256 bytes included (default: prepare.text.vocab-size).")
    Integer vocabSize;

    @Option(names = "--tokenizer-from", paramLabel = "FILE_OR_MODEL_DIR",
            description = "Reuse this tokenizer.json (or the one in a model or dataset directory, or of a registered model: "
                    + "REGISTRY/NAME@latest or @vNNNN) unchanged.")
    String tokenizerFrom;

    @Option(names = "--seq-len", description = "Tokens each sequence predicts (default: prepare.text.seq-len).")
    Integer seqLen;

    @Option(names = "--val-fraction", description = "Share of documents for validation (default: prepare.text.val-fraction; classification: prepare.classification.val-fraction, per label).")
    Double valFraction;

    @Option(names = "--test-fraction", description = "Share of documents for test (default: prepare.text.test-fraction; classification: prepare.classification.test-fraction, per label).")
    Double testFraction;

    @Option(names = "--folds", paramLabel = "K",
            description = "classification: k-fold cross-validation; with --fold F, fold F of each label is the test split, "
                    + "--val-fraction of each label goes to validation, and --test-fraction is ignored. 0 = off "
                    + "(default: prepare.classification.folds).")
    Integer folds;

    @Option(names = "--fold", paramLabel = "F",
            description = "classification, with --folds K: the test fold, 0 to K-1 (default: prepare.classification.fold).")
    Integer fold;

    @Option(names = "--extend-vocabulary", negatable = true,
            description = "classification, with --tokenizer-from: also take the train split's tokens the reused tokenizer lacks, "
                    + "after its own (default: prepare.classification.extend-vocabulary).")
    Boolean extendVocabulary;

    @Option(names = "--seed", description = "Split seed (default: seed).")
    Long seed;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Option(names = "--skip-existing", description = "Do nothing when OUTPUT is a finished dataset already (it has a manifest.json): "
            + "for schedulers that re-run a night's steps.")
    boolean skipExisting;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        text.checkFormat(); // a wrong --format fails even with --skip-existing
        if (skipExisting && !overwrite && HadoopFiles.exists(output + "/" + Manifest.FILE, new org.apache.hadoop.conf.Configuration())) {
            System.out.println(output + " is prepared already; nothing done (--skip-existing)");
            return 0;
        }
        TextInput input = text.textInput();
        if (tokenizerFrom != null && Registry.isReference(tokenizerFrom)) {
            tokenizerFrom = Registry.resolve(tokenizerFrom, new org.apache.hadoop.conf.Configuration()); // the version, recorded in the manifest
        }
        if (task.equals("classification")) {
            ClassificationPrep.Options o = ClassificationPrepConfig.from(resolve(
                    new OptionOverride<>(ClassificationPrepConfig.MAX_LEN, "--max-len", maxLen),
                    new OptionOverride<>(ClassificationPrepConfig.VAL_FRACTION, "--val-fraction", valFraction),
                    new OptionOverride<>(ClassificationPrepConfig.TEST_FRACTION, "--test-fraction", testFraction),
                    new OptionOverride<>(ClassificationPrepConfig.FOLDS, "--folds", folds),
                    new OptionOverride<>(ClassificationPrepConfig.FOLD, "--fold", fold),
                    new OptionOverride<>(ClassificationPrepConfig.EXTEND_VOCABULARY, "--extend-vocabulary", extendVocabulary)))
                    .options(input, labelCol, labels, output, tokenizerFrom, overwrite);
            return spark.run("prepare text", sc -> {
                ClassificationPrep.Result r = RunLock.whilePublishing(output, sc.hadoopConfiguration(), () -> new ClassificationPrep(sc).run(o));
                System.out.printf(Locale.ROOT, "prepared %s: labels %s; %,d documents read, %,d kept, dropped %s; splits %s; %s%n", output,
                        r.labels().labels(), r.report().documents().read(), r.report().documents().kept(),
                        r.report().documents().droppedByReason(), r.report().splits(), r.tokenizer());
                return 0;
            });
        }
        if (!task.equals("lm")) {
            throw new dev.nightjar.UserException("--task must be lm or classification, got " + task);
        }
        if (folds != null || fold != null) {
            throw new dev.nightjar.UserException("--folds and --fold are for --task classification");
        }
        TextPrep.Options o = TextPrepConfig.from(resolve(
                new OptionOverride<>(TextPrepConfig.SEQ_LEN, "--seq-len", seqLen),
                new OptionOverride<>(TextPrepConfig.VAL_FRACTION, "--val-fraction", valFraction),
                new OptionOverride<>(TextPrepConfig.TEST_FRACTION, "--test-fraction", testFraction)))
                .options(List.of(input), output, tokenizerFrom, overwrite);
        return spark.run("prepare text", sc -> {
            TextPrep.Result r = RunLock.whilePublishing(output, sc.hadoopConfiguration(), () -> new TextPrep(sc).run(o));
            System.out.printf(Locale.ROOT, "prepared %s: %s; %,d documents read, %,d kept, dropped %s; %,d characters kept; %s%n", output,
                    r.manifest().splits(), r.report().documents().read(), r.report().documents().kept(),
                    r.report().documents().droppedByReason(), r.report().characters().kept(), r.tokenizer());
            return 0;
        });
    }

    /** The config with --tokenizer and --seed, which both tasks take, and the task's own options over it. */
    private Config resolve(OptionOverride<?>... taskOptions) {
        Config c = OptionOverride.apply(config.resolve(), new OptionOverride<>(TextPrepConfig.TOKENIZER, "--tokenizer", tokenizer),
                new OptionOverride<>(TextPrepConfig.VOCAB_SIZE, "--vocab-size", vocabSize),
                new OptionOverride<>(Configs.SEED, "--seed", seed));
        if (vocabSize != null && (tokenizerFrom != null || !TextPrepConfig.TOKENIZER.get(c).equals("bpe"))) {
            throw new dev.nightjar.UserException(tokenizerFrom != null
                    ? "--vocab-size is for a new bpe tokenizer; --tokenizer-from reuses one as it is"
                    : "--vocab-size is for --tokenizer bpe (prepare.text.tokenizer is " + TextPrepConfig.TOKENIZER.get(c)
                    + "; char and word keep prepare.text.max-vocab tokens)");
        }
        return OptionOverride.apply(c, taskOptions);
    }
}
