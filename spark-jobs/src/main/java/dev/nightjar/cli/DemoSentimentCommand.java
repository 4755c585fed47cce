package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.data.text.ClassificationPrepConfig;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrepConfig;
import dev.nightjar.demo.SentimentDemo;
import dev.nightjar.demo.SentimentDemoConfig;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.jobs.ScoreJob;
import dev.nightjar.score.ScoreConfig;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "sentiment", mixinStandardHelpOptions = true,
        description = {"Sentiment monitoring end to end: the language model of 'demo text' (trained first when missing),",
                "prepare the sentence polarity corpus with its tokenizer, fine-tune a classifier from it, train the same network",
                "from scratch and the MLlib baseline (sentiment/comparison.json, one test split), then score the movie-review",
                "corpus with synthetic timestamps and sources: scores, rejects, trends, alerts.json, report.html."})
final class DemoSentimentCommand implements Callable<Integer> {
    static final String CONFIG = "classpath:sentiment.conf";

    @Mixin
    DemoOptions demo;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Config c = config.resolveOr(CONFIG);
        Config text = new ConfigOptions().resolveOr(DemoTextCommand.CONFIG);
        return spark.run("demo sentiment", sc -> run(sc, c, text, demo.workdir, demo.samples));
    }

    static int run(JavaSparkContext sc, Config c, Config textConfig, Path workdir, Path samples) {
        ClassificationPrepConfig prep = ClassificationPrepConfig.from(c);
        ScoreConfig score = ScoreConfig.from(c);
        TextPrepConfig lmPrep = TextPrepConfig.from(textConfig);
        SentimentDemo.Options o = new SentimentDemo.Options(workdir, samples, c, SentimentDemoConfig.from(c),
                (input, out) -> prep.options(new TextInput("csv", "1", List.of(input)), "0", List.of("-1", "1"), out,
                        workdir.resolve("text/model").toString(), true),
                (input, out) -> ScoreCommand.options(score, workdir.resolve("sentiment/finetuned/model").toString(), List.of(input), "csv",
                        "id", "text", "time", "source", out, SentimentDemo.SYNTHETIC_NOTES, true),
                ctx -> DemoTextCommand.run(ctx, textConfig, workdir, samples), textConfig,
                (inputs, out) -> lmPrep.options(inputs, out, null, true));
        SentimentDemo.Result r = SentimentDemo.run(o, sc);
        System.out.printf(Locale.ROOT, "%n%-10s  %8s  %8s  %8s%n", "model", "accuracy", "macro-F1", "ROC-AUC");
        for (Map.Entry<String, ClassificationMetrics> e : r.comparison().entrySet()) {
            ClassificationMetrics m = e.getValue();
            System.out.printf(Locale.ROOT, "%-10s  %8.4f  %8.4f  %8.4f%n", e.getKey(), m.accuracy(), m.macroF1(), m.rocAuc());
        }
        ScoreJob.Result s = r.scoring();
        System.out.printf(Locale.ROOT, "(test split: %d sentences)%n%nScored %,d of %,d reviews at %.0f docs/s (Spark %s); rejected %s; %d alerts.%n"
                        + "Sentiment demo done in %.1f min. Comparison: %s  Scores: %s  Report: %s%n",
                r.comparison().get("finetuned").examples(), s.scored(), s.rows(), s.docsPerSecond(), sc.master(), s.rejectedByReason(),
                s.alerts().size(), r.minutes(), workdir.resolve("sentiment/comparison.json"), s.output() + "/" + ScoreJob.SCORES,
                s.output() + "/" + ScoreJob.REPORT_FILE);
        return 0;
    }
}
