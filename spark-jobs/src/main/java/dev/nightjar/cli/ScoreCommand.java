package dev.nightjar.cli;

import dev.nightjar.UserException;
import dev.nightjar.data.text.TextSources;
import dev.nightjar.jobs.ScoreJob;
import dev.nightjar.score.ScoreConfig;
import dev.nightjar.score.TimeParser;
import dev.nightjar.storage.Bundles;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score every document of a corpus with a text classifier (distributed, batched inside partitions).",
                "Writes OUTPUT/scores/ and OUTPUT/rejects/ (Parquet; every input row is in exactly one), and with --time-col",
                "OUTPUT/trends/ (Parquet) and OUTPUT/alerts.json; always OUTPUT/report.html and OUTPUT/summary.json."})
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Text-classifier bundle directory (from train; local or hdfs://), or a registry reference REGISTRY/NAME@latest.")
    String model;

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH", description = "Files, directories or globs, local or hdfs://.")
    List<String> inputs;

    @Option(names = "--format", required = true, description = "csv (a header names the columns, or none and columns are 0-based indexes), jsonl or parquet.")
    String format;

    @Option(names = "--id-col", required = true, paramLabel = "C", description = "Document id column.")
    String idCol;

    @Option(names = "--text-col", required = true, paramLabel = "C", description = "Text column.")
    String textCol;

    @Option(names = "--time-col", paramLabel = "C",
            description = "Time column: ISO-8601 (with offset or Z; without one it is UTC), a date, or epoch seconds or milliseconds (see --time-format). Enables trends and alerts.")
    String timeCol;

    @Option(names = "--time-format", paramLabel = "F", defaultValue = TimeParser.AUTO,
            description = "How --time-col reads: auto (ISO-8601, a date, or a number of 10 digits as epoch seconds or of 13 as epoch milliseconds; "
                    + "other numbers are rejected as ambiguous_time), iso, epoch-s, epoch-ms, or a java.time pattern such as yyyyMMdd (UTC unless it has a zone). Default: ${DEFAULT-VALUE}.")
    String timeFormat;

    @Option(names = "--group-col", paramLabel = "C", description = "Group column (source, topic); trends and alerts are per group.")
    String groupCol;

    @Option(names = "--bucket", description = "Trend bucket: hour, day or week, in UTC (default: score.bucket).")
    String bucket;

    @Option(names = "--note", paramLabel = "TEXT", description = "A line shown at the top of the report (repeatable).")
    List<String> notes = new ArrayList<>();

    @Option(names = "--output", required = true, description = "Output directory.")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        if (!List.of("csv", "jsonl", "parquet").contains(format)) {
            throw new UserException("--format must be csv, jsonl or parquet, got " + format);
        }
        ScoreConfig settings = ScoreConfig.from(config.resolve()).withBucket(bucket);
        Bundles.resolve(model, new Configuration()); // fail fast, before Spark starts
        TextSources.checkExists(inputs, new Configuration()); // fail fast, before Spark starts
        new TimeParser(timeFormat); // a bad pattern fails here, before Spark starts
        ScoreJob.Options o = options(settings, model, inputs, format, idCol, textCol, timeCol, timeFormat, groupCol, output, notes, overwrite);
        return spark.run("score", sc -> {
            ScoreJob.Result r = ScoreJob.run(o, sc);
            System.out.printf(Locale.ROOT, "scored %,d of %,d rows (%.0f docs/s); rejected %s; %d alerts; output: %s%n",
                    r.scored(), r.rows(), r.docsPerSecond(), r.rejectedByReason(), r.alerts().size(), output);
            if (r.input().invalidUtf8() > 0) {
                System.out.printf(Locale.ROOT, "%,d invalid UTF-8 sequences in the input were read as U+FFFD%n", r.input().invalidUtf8());
            }
            if (!r.input().balanced()) {
                System.out.printf(Locale.ROOT, "WARNING: %,d input lines are in no row of scores/ or rejects/ (see summary.json)%n",
                        r.input().unaccountedLines());
            }
            return 0;
        });
    }

    /** The job's options: the score section's settings and the command-line values. */
    static ScoreJob.Options options(ScoreConfig s, String model, List<String> inputs, String format, String idCol, String textCol,
                                    String timeCol, String groupCol, String output, List<String> notes, boolean overwrite) {
        return options(s, model, inputs, format, idCol, textCol, timeCol, TimeParser.AUTO, groupCol, output, notes, overwrite);
    }

    static ScoreJob.Options options(ScoreConfig s, String model, List<String> inputs, String format, String idCol, String textCol,
                                    String timeCol, String timeFormat, String groupCol, String output, List<String> notes, boolean overwrite) {
        return new ScoreJob.Options(model, inputs, format, idCol, textCol, timeCol, timeFormat, groupCol, output, s.bucket(), s.reading(),
                s.positiveLabel(), s.alertWindow(), s.alertThreshold(), s.alertMinDocuments(), notes, overwrite);
    }
}
