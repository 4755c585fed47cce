package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.image.Augmentation;
import dev.nightjar.data.image.ImageRecordLoader;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.eval.Evaluator;
import dev.nightjar.eval.ValidationRunner;
import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.train.TrainConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;
import java.util.Map;

/** Image classification on an image dataset. */
final class ImageClassifierTask implements TrainingTask {
    private final JavaSparkContext sc;
    private final Manifest manifest;
    private final LabelMap labels;
    private final ImageModelConfig model;
    private final TrainConfig train;

    ImageClassifierTask(JavaSparkContext sc, Config c, Manifest manifest, LabelMap labels) {
        this.sc = sc;
        this.manifest = manifest;
        this.labels = labels;
        this.model = ImageModelConfig.from(c);
        this.train = TrainConfig.from(c);
    }

    @Override
    public String kind() {
        return "image-classifier";
    }

    @Override
    public MultiLayerNetwork create() {
        return ImageClassifiers.create(model, manifest.shape(), manifest.numClasses(), train.epochs());
    }

    @Override
    public DataSetLoader loader(int epoch) {
        return new ImageRecordLoader(manifest.numClasses(), train.augmentation(), train.seed(), epoch, train.effectiveThreads());
    }

    @Override
    public String lossUnit() {
        return "cross-entropy per example";
    }

    @Override
    public ValidationRunner<ClassificationMetrics> validation(List<String> records) {
        DataSetLoader loader = new ImageRecordLoader(labels.size(), Augmentation.OFF, 0, 0, train.effectiveThreads());
        return new ValidationRunner<>(records, net -> ClassificationMetrics.of(kind(), Splits.VALIDATION,
                new Evaluator(sc).evaluate(net, records, loader, labels.labels(), train.workers()), labels.labels()),
                ClassificationMetrics::summary);
    }

    @Override
    public Map<String, Object> provenance() {
        return Map.of("input_shape", manifest.shape(), "architecture", model.architecture());
    }

    @Override
    public ModelBundle bundle(MultiLayerNetwork trained, Map<String, Object> provenance) {
        return new ModelBundle(trained, labels, null, provenance);
    }
}
