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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
    void theTrunkIsCopiedExactlyAndEachPoolingGivesADistribution() {
        MultiLayerNetwork lm = languageModel();
        for (String pooling : List.of("mean", "max")) {
            MultiLayerNetwork clf = TransformerClassifiers.fromLanguageModel(lm, config("model.transformer-classifier.pooling=" + pooling),
                    3, 1, 1.0);
            assertEquals(lm.getLayer(0).params(), clf.getLayer(0).params(), pooling);
            INDArray out = clf.output(Nd4j.create(new float[] {3, 5, 6, 7}, new long[] {1, 1, 4}, 'c'));
            assertEquals(1.0, out.sumNumber().doubleValue(), 1e-5, pooling + ": a distribution over 3 classes");
        }
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
                if (trains && !p.endsWith("bk")) {   // a key bias moves no attention weight: its gradient is 0
                    assertNotEquals(e.getValue(), after.get(p), mode + ": " + p + " trains");
                } else {
                    assertEquals(e.getValue(), after.get(p), mode + ": " + p + " stays as pretrained, bit for bit");
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
        MultiLayerNetwork lm = languageModel();
        INDArray whole = trunkOutput(lm, doc);
        for (int start = 0; start < doc.length; start += CONTEXT) {
            int[] window = java.util.Arrays.copyOfRange(doc, start, Math.min(doc.length, start + CONTEXT));
            INDArray alone = trunkOutput(lm, window);
            assertTrue(alone.equalsWithEps(whole.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(start, start + window.length)), 1e-5), "window at " + start);
        }
    }

    private static INDArray trunkOutput(MultiLayerNetwork lm, int[] ids) {
        INDArray x = padded(List.of(ids), ids.length)[0];
        return lm.feedForwardToLayer(0, x, false).get(1);
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

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(clf, bytes, true);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(clf.output(test.getFeatures(), false, test.getFeaturesMaskArray(), null),
                loaded.output(test.getFeatures(), false, test.getFeaturesMaskArray(), null), "the loaded model's outputs");
    }

    private static double accuracy(MultiLayerNetwork net, DataSet data) {
        INDArray p = net.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null);
        INDArray predicted = p.argMax(1);
        INDArray actual = data.getLabels().argMax(1);
        return predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).meanNumber().doubleValue();
    }
}
