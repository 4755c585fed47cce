package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.config.OptionOverride;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextSources;
import dev.nightjar.jobs.CompareConfig;
import dev.nightjar.jobs.CompareJob;
import dev.nightjar.jobs.CompareResult;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Choose a text classifier for your own labelled corpus: stratified k-fold cross-validation of the",
                "candidates in compare.candidates (a job file such as conf/compare-sentiment.conf), the same folds for every",
                "candidate. Each fold is prepared once per tokenizer, every candidate is trained on it and reads its test",
                "documents: k x candidates trainings. Writes OUTPUT/compare.json (per candidate the fold accuracies, mean",
                "and sd; against the reference the per-fold differences, folds won and McNemar's exact test on the pooled",
                "test predictions) and prints a table. The same OUTPUT again resumes; another plan there needs --overwrite."})
final class CompareCommand implements Callable<Integer> {
    static final List<String> FORMATS = List.of("csv", "jsonl", "parquet");

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Files, directories or globs of the labelled corpus, local or hdfs:// (repeatable).")
    List<String> inputs;

    @Option(names = "--format", required = true, description = "csv, jsonl or parquet.")
    String format;

    @Option(names = "--text-col", required = true, paramLabel = "C", description = "The text column (for a csv without header: its 0-based index).")
    String textCol;

    @Option(names = "--label-col", required = true, paramLabel = "C", description = "The label column (for a csv without header: its 0-based index).")
    String labelCol;

    @Option(names = "--labels", split = ",", paramLabel = "A,B,...",
            description = "The labels in index order; rows with another label are dropped (default: every label found, sorted).")
    List<String> labels;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Local directory for compare.json, compare-plan.json and each fold's datasets and models (fold-I/).")
    Path output;

    @Option(names = "--folds", paramLabel = "K", description = "Folds, 2 to 100 (default: compare.folds).")
    Integer folds;

    @Option(names = "--candidates", split = ",", paramLabel = "NAME,...",
            description = "Compare only these of compare.candidates (default: all).")
    List<String> candidates;

    @Option(names = "--overwrite", description = "Delete an earlier comparison in OUTPUT and start over (without it, the same plan resumes "
            + "and another plan is refused).")
    boolean overwrite;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        if (!FORMATS.contains(format)) {
            throw new UserException("--format must be one of " + FORMATS + ", got " + format);
        }
        Configuration hconf = new Configuration();
        TextSources.checkExists(inputs, hconf); // fail fast, before Spark starts: the corpus, the config, every candidate's config and paths
        Config c = OptionOverride.apply(config.resolve(), new OptionOverride<>(CompareConfig.FOLDS, "--folds", folds));
        CompareConfig compare = CompareConfig.from(c, Configs.parseOverrides(config.sets), candidates).checkPaths(hconf);
        CompareJob.Options o = new CompareJob.Options(compare, new TextInput(format, textCol, inputs), labelCol, labels, output, overwrite);
        return spark.run("compare", sc -> {
            CompareResult r = CompareJob.run(o, sc);
            System.out.printf("%n%s%ncomparison: %s%n", r.table(), output.resolve(CompareJob.RESULT_FILE));
            return 0;
        });
    }
}
