package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class TextClassifiersTest {
    private static final int V = 30;

    private static TextClassifierConfig config(String... sets) {
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets)));
        return TextClassifierConfig.from(c);
    }

    /** A trained-looking language model: fresh weights from another seed than the classifier's head. */
    private static MultiLayerNetwork languageModel() {
        TextClassifierConfig lm = config("model.lm.embedding-size=8", "model.lm.lstm-sizes=[12,10]", "seed=7");
        return TextClassifiers.freshEncoder(lm, V, 1);
    }

    /** Ids [n,1,T] right-padded to {@code t} with a mask [n,T]. */
    private static INDArray[] padded(int[] ids, int t) {
        float[] x = new float[t];
        float[] m = new float[t];
        for (int i = 0; i < ids.length; i++) {
            x[i] = ids[i];
            m[i] = 1;
        }
        return new INDArray[] {Nd4j.create(x, new long[] {1, 1, t}, 'c'), Nd4j.create(m, new long[] {1, t}, 'c')};
    }

    @Test
    void transferCopiesTheEncoderExactly() {
        MultiLayerNetwork lm = languageModel();
        for (String pooling : List.of("mean", "max", "last")) {
            MultiLayerNetwork clf = TextClassifiers.fromLanguageModel(lm, config("model.classifier.pooling=" + pooling), 2, 1);
            assertEquals(3, TextClassifiers.encoderLayers(clf), pooling);
            for (int i = 0; i < 3; i++) {
                assertEquals(lm.getLayer(i).params(), clf.getLayer(i).params(), pooling + ": layer " + i);
            }
            INDArray out = clf.output(Nd4j.create(new float[] {2, 5, 6, 7}, new long[] {1, 1, 4}, 'c'));
            assertEquals(1.0, out.sumNumber().doubleValue(), 1e-5, pooling + ": a distribution over 2 classes");
        }
    }

    @Test
    void maskedPoolingIgnoresPadding() {
        int[] sentence = {3, 9, 4, 12, 15, 7, 3};
        for (String pooling : List.of("mean", "max", "last")) {
            MultiLayerNetwork clf = TextClassifiers.fromLanguageModel(languageModel(), config("model.classifier.pooling=" + pooling), 3, 1);
            INDArray[] tight = padded(sentence, sentence.length);
            INDArray reference = clf.output(tight[0], false, tight[1], null);
            for (int t : new int[] {10, 25}) {
                INDArray[] loose = padded(sentence, t);
                INDArray out = clf.output(loose[0], false, loose[1], null);
                assertEquals(reference, out, pooling + " with " + (t - sentence.length) + " padding steps");
            }
            INDArray[] shorter = padded(new int[] {3, 9, 4}, 10);
            assertNotEquals(reference, clf.output(shorter[0], false, shorter[1], null), pooling + ": the mask is not ignoring real steps");
        }
    }

    @Test
    void aFrozenEncoderIsUnchangedByTrainingAndCanBeThawed() {
        for (String pooling : List.of("mean", "last")) {
            MultiLayerNetwork lm = languageModel();
            MultiLayerNetwork unfrozen = TextClassifiers.fromLanguageModel(lm,
                    config("model.learning-rate=0.05", "model.classifier.pooling=" + pooling), 2, 1);
            MultiLayerNetwork frozen = TextClassifiers.withFrozen(unfrozen.getLayerWiseConfigurations(), unfrozen, 3);
            assertEquals(3, TextClassifiers.frozenLayers(frozen), pooling);
            int head = frozen.getnLayers() - 1;
            INDArray headBefore = frozen.getLayer(head).params().dup();
            INDArray[] a = padded(new int[] {3, 9, 4, 12}, 6);
            DataSet ds = new DataSet(a[0], Nd4j.create(new float[] {0, 1}, new long[] {1, 2}), a[1], null);
            for (int i = 0; i < 5; i++) {
                frozen.fit(ds);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(lm.getLayer(i).params(), frozen.getLayer(i).params(), pooling + ": frozen layer " + i);
            }
            assertNotEquals(headBefore, frozen.getLayer(head).params(), pooling + ": the head trains");

            MultiLayerNetwork thawed = TextClassifiers.withFrozen(unfrozen.getLayerWiseConfigurations(), frozen, 1);
            assertEquals(1, TextClassifiers.frozenLayers(thawed), pooling);
            assertEquals(frozen.params(), thawed.params(), pooling + ": thawing keeps every weight");
            for (int i = 0; i < 5; i++) {
                thawed.fit(ds);
            }
            assertEquals(lm.getLayer(0).params(), thawed.getLayer(0).params(), pooling + ": the embedding stays frozen");
            assertNotEquals(lm.getLayer(2).params(), thawed.getLayer(2).params(), pooling + ": the top LSTM trains once thawed");
        }
    }

    @Test
    void fineTuningModesFreezeTheRightLayersPerEpoch() {
        assertEquals(List.of(3, 3, 3), stages("head"));
        assertEquals(List.of(0, 0, 0), stages("full"));
        assertEquals(List.of(3, 2, 1, 0, 0), stages("gradual", 5));
        assertEquals(List.of(3, 3, 2, 2, 1), config("model.classifier.finetune=gradual", "model.classifier.stage-epochs=2")
                .frozenLayersPerEpoch(3, 5));
    }

    private static List<Integer> stages(String mode) {
        return stages(mode, 3);
    }

    private static List<Integer> stages(String mode, int epochs) {
        return config("model.classifier.finetune=" + mode).frozenLayersPerEpoch(3, epochs);
    }
}
