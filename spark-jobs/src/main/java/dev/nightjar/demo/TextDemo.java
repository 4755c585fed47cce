package dev.nightjar.demo;

import com.typesafe.config.Config;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.eval.LanguageModelMetrics;
import dev.nightjar.jobs.EvaluateJob;
import dev.nightjar.jobs.TrainJob;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.model.family.DatasetKind;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.ModelFamily;
import dev.nightjar.text.NextTokens;
import dev.nightjar.text.TextSampler;
import dev.nightjar.util.AtomicFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * {@code nightjar demo text}: fetch-samples → prepare text (movie reviews, fortunes, the Jargon
 * File; char tokenizer) → pretrain the character LSTM (or the model.family the config names) → evaluate bits per character on the test
 * split → generate a sample. Prepared data is reused when already there.
 */
public final class TextDemo {
    public static final String SAMPLE_FILE = "sample.txt";
    public static final String PROMPT = "The movie ";
    private static final Logger LOG = LoggerFactory.getLogger(TextDemo.class);

    /**
     * @param workdir  demo directory; everything goes under {@link #dir}
     * @param samples  sample data directory
     * @param config   resolved config (lm-char.conf over the defaults)
     * @param prepOpts builds prep options: (inputs, output) → options
     */
    public record Options(Path workdir, Path samples, Config config, BiFunction<List<TextInput>, String, TextPrep.Options> prepOpts) {
    }

    public record Result(LanguageModelMetrics test, TrainJob.Result train, Manifest data, String sample, double minutes) {
    }

    private TextDemo() {
    }

    /** The demo corpus: full movie reviews (their text column), every fortune (one document each) and the Jargon File's paragraphs. */
    public static List<TextInput> corpus(FetchSamples.TextSamples s) {
        return List.of(new TextInput("csv", "1", List.of(s.reviews().toString())),
                new TextInput("lines", null, "\n%\n", List.of(s.fortunes().toString())),
                new TextInput("lines", null, "\n\n", List.of(s.jargon().toString())));
    }

    /**
     * Where the demo of this config writes: workdir/text for the default language-model family, workdir/text-FAMILY for
     * another (conf/lm-transformer.conf: text-transformer-lm), so that neither replaces the other's data or model.
     */
    public static Path dir(Path workdir, Config c) {
        ModelFamily family = Families.forTraining(c, DatasetKind.LANGUAGE_MODEL);
        return workdir.resolve(family == Families.defaultFor(DatasetKind.LANGUAGE_MODEL) ? "text" : "text-" + family.name());
    }

    public static Result run(Options o, JavaSparkContext sc) {
        long t0 = System.nanoTime();
        Path dir = dir(o.workdir(), o.config());
        String data = dir.resolve("data").toString();
        TextPrep.Options prep = o.prepOpts().apply(corpus(FetchSamples.text(o.samples())), data);
        if (HadoopFiles.exists(data + "/" + Manifest.FILE, sc.hadoopConfiguration())) {
            LOG.info("reusing prepared data in {}", data);
        } else {
            new TextPrep(sc).run(prep);
        }
        Manifest manifest = Manifest.read(HadoopFiles.qualify(data, sc.hadoopConfiguration()), sc.hadoopConfiguration());
        TrainJob.Result trained = TrainJob.run(new TrainJob.Options(o.config(), data, dir.toString(), true, null, true, true), sc); // a demo run starts over
        LanguageModelMetrics test = EvaluateJob.languageModel(new EvaluateJob.Options(dir.resolve(TrainJob.MODEL_DIR).toString(), data, "test",
                dir.resolve("eval").toString(), 0), sc);
        NativeTuning.apply(1);
        NextTokens lm = Families.of(trained.bundle()).nextTokens(trained.bundle().network(), trained.bundle().tokenizer());
        String sample = PROMPT + new TextSampler(lm, trained.bundle().tokenizer()).sample(PROMPT, 600, 0.8, 42);
        AtomicFiles.writeString(dir.resolve(SAMPLE_FILE), sample + "\n");
        return new Result(test, trained, manifest, sample, (System.nanoTime() - t0) / 60e9);
    }
}
