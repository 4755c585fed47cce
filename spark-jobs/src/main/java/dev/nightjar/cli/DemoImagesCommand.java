package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.data.image.ImagePrepConfig;
import dev.nightjar.demo.ImagesDemo;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "images", mixinStandardHelpOptions = true,
        description = {"Fashion-MNIST end to end: fetch-samples, prepare (60k train with validation split, 10k test),",
                "train the CNN of fashion-cnn.conf with parameter averaging, evaluate on the test set."})
final class DemoImagesCommand implements Callable<Integer> {
    static final String CONFIG = "classpath:fashion-cnn.conf";

    @Mixin
    DemoOptions demo;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Config c = config.resolveOr(CONFIG);
        return spark.run("demo images", sc -> run(sc, c, demo.workdir, demo.samples));
    }

    static int run(JavaSparkContext sc, Config c, Path workdir, Path samples) {
        ImagePrepConfig prep = ImagePrepConfig.from(c);
        ImagesDemo.Options o = new ImagesDemo.Options(workdir, samples, c, (in, out, test) -> prep.options(in, out, test, null, false));
        ImagesDemo.Result r = ImagesDemo.run(o, sc);
        System.out.print(r.test().table());
        System.out.printf(Locale.ROOT, "%nImages demo done in %.1f min (training %.1f min at %.0f examples/s, Spark %s).%n"
                        + "Test accuracy %.4f on %d images. Model: %s  Metrics: %s  Report: %s%n",
                r.minutes(), r.train().minutes(), r.train().examplesPerSecond(), sc.master(), r.test().accuracy(), r.test().examples(),
                workdir.resolve("images/model"), workdir.resolve("images/eval/metrics.json"), workdir.resolve("images/report.html"));
        return 0;
    }
}
