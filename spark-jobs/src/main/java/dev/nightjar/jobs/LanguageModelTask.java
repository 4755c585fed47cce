package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.text.LmRecordLoader;
import dev.nightjar.eval.Evaluator;
import dev.nightjar.eval.LanguageModelMetrics;
import dev.nightjar.eval.ValidationRunner;
import dev.nightjar.model.LanguageModelConfig;
import dev.nightjar.model.LanguageModels;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.text.Segmenter;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.train.SegmentMetrics;
import dev.nightjar.train.TrainConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;
import java.util.Map;

/** Next-token language modelling on an lm dataset; the bundle carries the dataset's tokenizer. */
final class LanguageModelTask implements TrainingTask {
    private final JavaSparkContext sc;
    private final Manifest.TextInfo text;
    private final Tokenizer tokenizer;
    private final LanguageModelConfig model;
    private final TrainConfig train;

    LanguageModelTask(JavaSparkContext sc, Config c, Manifest manifest, Tokenizer tokenizer) {
        this.sc = sc;
        this.text = manifest.text();
        this.tokenizer = tokenizer;
        this.model = LanguageModelConfig.from(c);
        this.train = TrainConfig.from(c);
    }

    @Override
    public String kind() {
        return "language-model";
    }

    @Override
    public MultiLayerNetwork create() {
        return LanguageModels.create(model, tokenizer.size(), text.seqLen(), train.epochs());
    }

    @Override
    public DataSetLoader loader(int epoch) {
        return new LmRecordLoader(tokenizer.size(), model.oneHot(), train.effectiveThreads());
    }

    @Override
    public long unitsPerExample() {
        return text.seqLen();
    }

    @Override
    public SegmentMetrics normalise(SegmentMetrics raw) {
        return raw.perToken(LanguageModels.stepsPerTrainingScore(model, text.seqLen()));
    }

    @Override
    public String lossUnit() {
        return "nats per token";
    }

    @Override
    public ValidationRunner<LanguageModelMetrics> validation(List<String> records) {
        DataSetLoader loader = new LmRecordLoader(tokenizer.size(), model.oneHot(), train.effectiveThreads());
        boolean chars = tokenizer.segmenter() == Segmenter.CHAR;
        return new ValidationRunner<>(records, net -> LanguageModelMetrics.of(Splits.VALIDATION,
                new Evaluator(sc).tokenLoss(net, records, loader, train.workers()), chars), LanguageModelMetrics::summary);
    }

    @Override
    public Map<String, Object> provenance() {
        return Map.of("seq_len", text.seqLen(), "tokenizer", tokenizer.type(), "vocab_size", tokenizer.size(),
                "input", model.input());
    }

    @Override
    public ModelBundle bundle(MultiLayerNetwork trained, Map<String, Object> provenance) {
        return new ModelBundle(trained, null, tokenizer, provenance);
    }
}
