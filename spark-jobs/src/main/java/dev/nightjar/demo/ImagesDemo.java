package dev.nightjar.demo;

import com.typesafe.config.Config;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.image.ImagePrep;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.jobs.EvaluateJob;
import dev.nightjar.jobs.TrainJob;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * {@code nightjar demo images}: fetch-samples → prepare (train 60k with a validation split, test
 * 10k) → train → evaluate on the test set. Prepared data is reused when already there.
 */
public final class ImagesDemo {
    private static final Logger LOG = LoggerFactory.getLogger(ImagesDemo.class);

    /**
     * @param workdir  demo directory; everything goes under workdir/images
     * @param samples  sample data directory
     * @param config   resolved config (fashion-cnn.conf over the defaults)
     * @param prepOpts builds prep options: (input, output, allTest) → options
     */
    public record Options(Path workdir, Path samples, Config config, PrepOptionsFactory prepOpts) {
    }

    /** Builds prep options from the config for one input/output. */
    public interface PrepOptionsFactory {
        ImagePrep.Options of(String input, String output, boolean allTest);
    }

    public record Result(ClassificationMetrics test, TrainJob.Result train, double minutes) {
    }

    private ImagesDemo() {
    }

    public static Result run(Options o, JavaSparkContext sc) {
        long t0 = System.nanoTime();
        Path dir = o.workdir().resolve("images");
        Path fashion = FetchSamples.fashionMnist(o.samples());
        String train = dir.resolve("data/train").toString();
        String test = dir.resolve("data/test").toString();
        prepareOnce(sc, o.prepOpts().of(fashion.resolve("train-images-idx3-ubyte.gz").toString(), train, false));
        prepareOnce(sc, o.prepOpts().of(fashion.resolve("t10k-images-idx3-ubyte.gz").toString(), test, true));

        TrainJob.Result trained = TrainJob.run(new TrainJob.Options(o.config(), train, dir.toString(), true, null, true, true), sc); // a demo run starts over
        ClassificationMetrics metrics = EvaluateJob.classification(new EvaluateJob.Options(dir.resolve(TrainJob.MODEL_DIR).toString(), test, "test",
                dir.resolve("eval").toString(), 0), sc);
        return new Result(metrics, trained, (System.nanoTime() - t0) / 60e9);
    }

    private static void prepareOnce(JavaSparkContext sc, ImagePrep.Options p) {
        if (HadoopFiles.exists(p.output() + "/" + Manifest.FILE, sc.hadoopConfiguration())) {
            LOG.info("reusing prepared data in {}", p.output());
            return;
        }
        new ImagePrep(sc).run(p);
    }
}
