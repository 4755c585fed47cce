package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.data.text.TextPrepConfig;
import dev.nightjar.demo.TextDemo;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "text", mixinStandardHelpOptions = true,
        description = {"Character language model end to end: fetch-samples, prepare text (movie reviews, fortunes, the Jargon File),",
                "pretrain the char-LSTM of lm-char.conf with parameter averaging, evaluate bits per character on the test split,",
                "generate a sample."})
final class DemoTextCommand implements Callable<Integer> {
    static final String CONFIG = "classpath:lm-char.conf";

    @Mixin
    DemoOptions demo;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Config c = config.resolveOr(CONFIG);
        return spark.run("demo text", sc -> run(sc, c, demo.workdir, demo.samples));
    }

    static int run(JavaSparkContext sc, Config c, Path workdir, Path samples) {
        TextPrepConfig prep = TextPrepConfig.from(c);
        TextDemo.Options o = new TextDemo.Options(workdir, samples, c, (inputs, out) -> prep.options(inputs, out, null, false));
        TextDemo.Result r = TextDemo.run(o, sc);
        Path dir = TextDemo.dir(workdir, c);
        System.out.print(r.test().table());
        System.out.printf(Locale.ROOT, "%nSample (temperature 0.8):%n%s%n%n", r.sample());
        System.out.printf(Locale.ROOT, "Text demo done in %.1f min (training %.1f min at %.0f tokens/s, Spark %s); corpus: %s.%n"
                        + "Test bits per character %.3f (%.3f bits per token on %,d tokens). Model: %s  Metrics: %s  Report: %s%n",
                r.minutes(), r.train().minutes(), r.train().unitsPerSecond(), sc.master(), r.data().splits(), r.test().bitsPerChar(),
                r.test().bitsPerToken(), r.test().tokens(), dir.resolve("model"), dir.resolve("eval/metrics.json"), dir.resolve("report.html"));
        return 0;
    }
}
