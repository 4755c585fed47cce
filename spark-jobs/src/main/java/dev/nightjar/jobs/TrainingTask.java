package dev.nightjar.jobs;

import dev.nightjar.eval.ValidationRunner;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.train.SegmentMetrics;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;
import java.util.Map;

/** What {@link TrainJob} needs to know about one kind of dataset and model. */
interface TrainingTask {
    /** Provenance kind: image-classifier, language-model. */
    String kind();

    MultiLayerNetwork create();

    /** The network for an epoch: the same one, or one with the same weights and other layers frozen. */
    default MultiLayerNetwork beforeEpoch(int epoch, MultiLayerNetwork net) {
        return net;
    }

    /** The record loader of an epoch (augmentation is seeded per epoch). */
    DataSetLoader loader(int epoch);

    /** Examples (images, sequences) are counted by the trainer; this says how many tokens or images one is. */
    default long unitsPerExample() {
        return 1;
    }

    /** A raw segment as reported: DL4J's score normalised to what the loss is measured in. */
    default SegmentMetrics normalise(SegmentMetrics raw) {
        return raw;
    }

    /** Whether a higher main validation metric is better (accuracy), or a lower one (bits per token). */
    default boolean higherIsBetter() {
        return true;
    }

    /** The unit of the normalised training loss, for the report. */
    String lossUnit();

    ValidationRunner<?> validation(List<String> records);

    /** Task-specific provenance: input shape, tokenizer, sequence length. */
    Map<String, Object> provenance();

    ModelBundle bundle(MultiLayerNetwork trained, Map<String, Object> provenance);
}
