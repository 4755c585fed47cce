package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.model.transformer.TransformerTrunk;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Transformer text classifier: the pretrained trunk copied exactly; what trains in each fine-tuning mode (and what
 * stays bit for bit); padding and documents longer than the context; it learns; it saves and loads.
 */
class TransformerClassifiersTest {
    private static final int V = 12;
    private static final int CONTEXT = 8;

    private static TransformerClassifierConfig config(String... sets) {
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets)));
        return TransformerClassifierConfig.from(c);
    }

    /** A Transformer language model with fresh weights (another seed than the classifier's head). */
    private static MultiLayerNetwork languageModel() {
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("model.transformer.width=16",
                "model.transformer.heads=2", "model.transformer.layers=2", "model.transformer.mlp-ratio=2", "seed=7")));
        return Transformers.create(TransformerConfig.from(c), V, CONTEXT);
    }

    /** Ids [n,1,T] right-padded to {@code t}, with a mask [n,T]. */
    private static INDArray[] padded(List<int[]> docs, int t) {
        float[] x = new float[docs.size() * t];
        float[] m = new float[docs.size() * t];
        for (int b = 0; b < docs.size(); b++) {
            for (int i = 0; i < docs.get(b).length; i++) {
                x[b * t + i] = docs.get(b)[i];
                m[b * t + i] = 1;
            }
        }
        return new INDArray[] {Nd4j.create(x, new long[] {docs.size(), 1, t}, 'c'), Nd4j.create(m, new long[] {docs.size(), t}, 'c')};
    }

    /** Documents of 3–20 random tokens from 4..V-1; label 1 when token 4 occurs in them. */
    private static DataSet task(int n, long seed) {
        Random r = new Random(seed);
        List<int[]> docs = new java.util.ArrayList<>();
        INDArray labels = Nd4j.zeros(n, 2);
        for (int i = 0; i < n; i++) {
            int[] d = new int[3 + r.nextInt(18)];
            boolean has = i % 2 == 0;
            for (int j = 0; j < d.length; j++) {
                d[j] = 5 + r.nextInt(V - 5);
            }
            if (has) {
                d[r.nextInt(d.length)] = 4;
            }
            docs.add(d);
            labels.putScalar(i, has ? 1 : 0, 1.0);
        }
        INDArray[] x = padded(docs, 20);
        return new DataSet(x[0], labels, x[1], null);
    }

    private static Map<String, INDArray> trunkParams(MultiLayerNetwork net) {
        Map<String, INDArray> copy = new java.util.TreeMap<>();
        net.getLayer(0).paramTable().forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    @Test
    void theTrunkIsCopiedExactlyAndTheModeSetsWhatTrains() {
        MultiLayerNetwork lm = languageModel();
        Map<String, Integer> trainable = Map.of("head", 0, "top", 1, "full", TransformerTrunk.ALL);
        for (Map.Entry<String, Integer> mode : trainable.entrySet()) {
            MultiLayerNetwork clf = TransformerClassifiers.fromLanguageModel(lm,
                    config("model.transformer-classifier.finetune=" + mode.getKey()), 3, 1, 1.0);
            assertEquals(lm.getLayer(0).params(), clf.getLayer(0).params(), mode.getKey());
            assertEquals(mode.getValue(), TransformerClassifiers.trunk(clf).trainableBlocks(), mode.getKey());
        }
        assertThrows(dev.nightjar.UserException.class, () -> TransformerClassifiers.fromLanguageModel(lm,
                config("model.transformer-classifier.top-blocks=3"), 2, 1, 1.0), "3 top blocks of 2");
    }

    @Test
    void aLanguageModelRefusesASequenceLongerThanItsContext() {
        MultiLayerNetwork lm = languageModel();
        INDArray ids = padded(List.of(new int[CONTEXT + 1]), CONTEXT + 1)[0];
        assertThrows(IllegalArgumentException.class, () -> lm.output(ids), "a language model does not read windows");
    }

    @Test
    void eachFineTuningModeTrainsWhatItSaysAndNothingElse() {
        MultiLayerNetwork lm = languageModel();
        Map<String, INDArray> before = trunkParams(lm);
        DataSet data = task(32, 1);
        for (String mode : List.of("head", "top", "full")) {
            // weight decay on, so a frozen parameter that were decayed would move too
            MultiLayerNetwork clf = TransformerClassifiers.fromLanguageModel(lm, config("model.transformer-classifier.finetune=" + mode,
                    "model.l2=0.01", "model.learning-rate=0.01"), 2, 1, 1.0);
            INDArray head = clf.getLayer(2).params().dup();
            for (int i = 0; i < 3; i++) {
                clf.fit(data);
            }
            assertNotEquals(head, clf.getLayer(2).params(), mode + ": the dense layer trains");
            Map<String, INDArray> after = trunkParams(clf);
            for (Map.Entry<String, INDArray> e : before.entrySet()) {
                String p = e.getKey();
                boolean trains = switch (mode) {
                    case "head" -> false;
                    case "top" -> p.startsWith("blk1") || p.startsWith("lnf");
                    default -> true;
                };
                if (trains && p.endsWith("bk")) {
                    continue;   // a key bias moves no attention weight: its gradient is 0 up to rounding, which Adam scales up
                }
                if (trains) {
                    assertNotEquals(e.getValue(), after.get(p), mode + ": " + p + " trains");
                } else {
                    assertArrayEquals(e.getValue().dup().data().asFloat(), after.get(p).dup().data().asFloat(),
                            mode + ": " + p + " stays as pretrained, bit for bit");
                }
            }
        }
    }

    @Test
    void paddingChangesNothingAndALongDocumentIsReadInWindowsOfTheContext() {
        int[] doc = {3, 9, 4, 11, 5, 7, 8, 6, 10, 4, 9, 5, 7, 6, 8, 11, 3, 9, 4, 10};   // 20 tokens: windows of 8, 8 and 4
        for (String pooling : List.of("mean", "max")) {
            MultiLayerNetwork clf = TransformerClassifiers.fromLanguageModel(languageModel(),
                    config("model.transformer-classifier.pooling=" + pooling), 2, 1, 1.0);
            INDArray[] tight = padded(List.of(doc), doc.length);
            INDArray[] loose = padded(List.of(doc), 29);
            assertTrue(clf.output(tight[0], false, tight[1], null).equalsWithEps(clf.output(loose[0], false, loose[1], null), 1e-5),
                    pooling + ": padding past the mask changes nothing");
        }
        // the trunk's output at each position is that of its window read alone
        MultiLayerNetwork clf = TransformerClassifiers.fromLanguageModel(languageModel(), config(), 2, 1, 1.0);
        INDArray whole = trunkOutput(clf, doc);
        for (int start = 0; start < doc.length; start += CONTEXT) {
            int[] window = java.util.Arrays.copyOfRange(doc, start, Math.min(doc.length, start + CONTEXT));
            INDArray alone = trunkOutput(clf, window);
            assertTrue(alone.equalsWithEps(whole.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(start, start + window.length)), 1e-5), "window at " + start);
        }
    }

    private static INDArray trunkOutput(MultiLayerNetwork net, int[] ids) {
        INDArray x = padded(List.of(ids), ids.length)[0];
        return net.feedForwardToLayer(0, x, false).get(1);
    }

    @Test
    void dropoutActsOnlyInTheBlocksThatTrainAndOnlyInTraining() {
        // a trunk with dropout, its top block trainable, documents longer than its context
        MultiLayerNetwork lm = languageModel();
        TransformerTrunk trunk = new TransformerTrunk(V, 16, 2, 32, 2, CONTEXT, 0.3).forClassifier(1);
        MultiLayerNetwork clf = TransformerClassifiers.create(trunk, config("model.learning-rate=0.01"), 2, 1, 1.0);
        clf.getLayer(0).setParams(lm.getLayer(0).params().dup());
        Map<String, INDArray> before = trunkParams(clf);
        DataSet data = task(32, 4);
        for (int i = 0; i < 3; i++) {
            clf.fit(data);
        }
        Map<String, INDArray> after = trunkParams(clf);
        assertArrayEquals(before.get("E").dup().data().asFloat(), after.get("E").dup().data().asFloat());
        assertArrayEquals(before.get("blk0W1").dup().data().asFloat(), after.get("blk0W1").dup().data().asFloat());
        assertNotEquals(before.get("blk1W1"), after.get("blk1W1"));
        INDArray x = data.getFeatures();
        INDArray m = data.getFeaturesMaskArray();
        assertEquals(clf.output(x, false, m, null), clf.output(x, false, m, null), "no dropout in inference");
        assertNotEquals(clf.feedForwardToLayer(0, x, false).get(1), clf.feedForwardToLayer(0, x, true).get(1), "dropout in training");
    }

    @Test
    void itLearnsFromScratchAndSavesAndLoads() throws Exception {
        TransformerTrunk trunk = new TransformerTrunk(V, 16, 2, 32, 1, CONTEXT, 0);
        MultiLayerNetwork clf = TransformerClassifiers.create(trunk, config("model.learning-rate=0.01", "model.transformer-classifier.pooling=max"),
                2, 1, 1.0);
        DataSet train = task(256, 2);
        DataSet test = task(200, 3);
        for (int epoch = 0; epoch < 30; epoch++) {
            for (DataSet batch : train.batchBy(32)) {
                clf.fit(batch);
            }
        }
        double accuracy = accuracy(clf, test);
        assertTrue(accuracy > 0.9, "test accuracy " + accuracy + " (chance 0.5): whether token 4 occurs, anywhere in 20 tokens");

        MultiLayerNetwork loaded = roundTrip(clf);
        assertEquals(clf.output(test.getFeatures(), false, test.getFeaturesMaskArray(), null),
                loaded.output(test.getFeatures(), false, test.getFeaturesMaskArray(), null), "the loaded model's outputs");
    }

    @Test
    void whatTrainsAndTheTrunksLearningRateSurviveSaveAndLoad() throws Exception {
        MultiLayerNetwork clf = TransformerClassifiers.fromLanguageModel(languageModel(), config("model.transformer-classifier.finetune=top",
                "model.transformer-classifier.encoder-learning-rate-factor=0.3"), 2, 1, 1.0);
        TransformerTrunk loaded = TransformerClassifiers.trunk(roundTrip(clf));
        TransformerTrunk saved = TransformerClassifiers.trunk(clf);
        assertEquals(1, loaded.trainableBlocks());
        assertTrue(loaded.getUpdaterByParam("E") instanceof org.nd4j.linalg.learning.config.NoOp, "the embedding stays frozen");
        assertEquals(saved.getUpdaterByParam("blk1W1"), loaded.getUpdaterByParam("blk1W1"), "the trunk's own rate");
        assertNotEquals(clf.getLayerWiseConfigurations().getConf(2).getLayer().getUpdaterByParam("W"), loaded.getUpdaterByParam("blk1W1"),
                "0.3 x the head's rate");
        // a bundle from before trainable blocks existed: every parameter trains
        String json = clf.getLayerWiseConfigurations().toJson().replaceAll("\"trainableBlocks\"\\s*:\\s*1\\s*,?", "");
        TransformerTrunk old = (TransformerTrunk) org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(json).getConf(0).getLayer();
        assertEquals(TransformerTrunk.ALL, old.trainableBlocks(), json);
    }

    private static MultiLayerNetwork roundTrip(MultiLayerNetwork net) throws java.io.IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
    }

    private static double accuracy(MultiLayerNetwork net, DataSet data) {
        INDArray p = net.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null);
        INDArray predicted = p.argMax(1);
        INDArray actual = data.getLabels().argMax(1);
        return predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).meanNumber().doubleValue();
    }
}
