package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.demo.FetchSamples;
import dev.nightjar.demo.TransferDemo;
import dev.nightjar.eval.ModelComparison;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = {"Few labels and what pretraining buys, on Fashion-MNIST: the train images of classes 0-4 pretrain a",
                "convolutional autoencoder (labels unused) and train a supervised CNN; classes 5-9 with 100 labelled train",
                "images each get four candidates of the same network: fine-tuned from the supervised trunk, fine-tuned from",
                "the autoencoder's encoder, from scratch, and from scratch with augmentation; all are tested on the 5,000 test",
                "images of classes 5-9 (transfer/comparison.json: accuracies with 95%% intervals, McNemar against scratch;",
                "transfer/report.html). --config replaces conf/transfer.conf; demo.transfer.* sizes the stages."})
final class DemoTransferCommand implements Callable<Integer> {
    static final String CONFIG = "classpath:transfer.conf";

    @Mixin
    DemoOptions demo;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Config c = config.resolveOr(CONFIG);
        return spark.run("demo transfer", sc -> run(sc, c, demo.workdir, demo.samples));
    }

    static int run(JavaSparkContext sc, Config c, Path workdir, Path samples) {
        Path fashion = FetchSamples.fashionMnist(samples);
        TransferDemo.Result r = TransferDemo.run(new TransferDemo.Options(workdir, fashion.resolve("train-images-idx3-ubyte.gz").toString(),
                fashion.resolve("t10k-images-idx3-ubyte.gz").toString(), c), sc);
        System.out.printf(Locale.ROOT, "%n%-18s  %9s  %17s  %10s  %10s  %9s%n", "candidate", "test acc.", "95% interval", "vs scratch",
                "McNemar p", "mean");
        for (Map.Entry<String, ModelComparison.Result> e : r.test().entrySet()) {
            ModelComparison.Result m = e.getValue();
            ModelComparison.Paired v = m.vsReference();
            System.out.printf(Locale.ROOT, "%-18s  %9.4f  [%.4f, %.4f]  %10s  %10s  %9.4f%n", e.getKey(), m.accuracy(), m.low(), m.high(),
                    v == null ? "reference" : String.format(Locale.ROOT, "%+.1f pts", 100 * v.difference()),
                    v == null ? "" : String.format(Locale.ROOT, "%.3g", v.mcnemarP()), r.means().get(e.getKey()));
        }
        System.out.printf(Locale.ROOT, "(%d test images; mean: over demo.transfer.seeds runs)%nTransfer demo done in %.1f min (Spark %s). "
                        + "Comparison: %s  Report: %s%n", r.test().values().iterator().next().documents(), r.minutes(), sc.master(),
                r.dir().resolve(TransferDemo.COMPARISON_FILE), r.dir().resolve(TransferDemo.REPORT_FILE));
        return 0;
    }
}
