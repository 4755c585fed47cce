package dev.nightjar.model.family;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.Network;
import dev.nightjar.text.Tokenizer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FamiliesTest {
    private static Config config(String... sets) {
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets)));
    }

    private static final Tokenizer TOKENIZER = Tokenizer.fromCounts(dev.nightjar.text.Segmenter.CHAR,
            Map.of("a", 5L, "b", 4L, "c", 3L, " ", 2L), 1, 100);
    private static final DatasetInfo TEXT = new DatasetInfo(DatasetKind.CLASSIFICATION, null, new LabelMap(List.of("neg", "pos")),
            TOKENIZER, 12, 4);

    @Test
    void autoPicksTheFirstFamilyOfTheDatasetsKindAndANamedOneMustFitIt() {
        assertEquals(ImageClassifierFamily.NAME, Families.forTraining(config(), DatasetKind.IMAGE).name());
        assertEquals(LanguageModelFamily.NAME, Families.forTraining(config(), DatasetKind.LANGUAGE_MODEL).name());
        assertEquals(TextClassifierFamily.NAME, Families.forTraining(config(), DatasetKind.CLASSIFICATION).name());
        assertEquals(TextCnnFamily.NAME, Families.forTraining(config("model.family=text-cnn"), DatasetKind.CLASSIFICATION).name());
        assertEquals(ImageAutoencoderFamily.NAME, Families.forTraining(config("model.family=image-autoencoder"), DatasetKind.IMAGE).name());
        UserException wrongData = assertThrows(UserException.class,
                () -> Families.forTraining(config("model.family=text-cnn"), DatasetKind.IMAGE));
        assertTrue(wrongData.getMessage().contains("model.family"), wrongData.getMessage());
        UserException unknown = assertThrows(UserException.class, () -> Families.forTraining(config("model.family=gpt"), DatasetKind.IMAGE));
        assertTrue(unknown.getMessage().contains("model.family") && unknown.getMessage().contains("text-cnn"), unknown.getMessage());
    }

    @Test
    void wordVectorsAreNotAModelFamily() throws Exception {
        dev.nightjar.text.WordVectors v = dev.nightjar.text.WordVectors.read(
                new java.io.ByteArrayInputStream("good 1 2\nbad -1 -2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "glove", "t", 0);
        UserException e = assertThrows(UserException.class, () -> Families.of(dev.nightjar.model.Embeddings.bundle(v, "t", "glove")));
        assertTrue(e.getMessage().contains("word vectors") && e.getMessage().contains("--init-from"), e.getMessage());
    }

    @Test
    void familyNamesAreUniqueAndEachIsFoundByName() {
        assertEquals(Families.names().size(), Families.names().stream().distinct().count());
        for (ModelFamily f : Families.all()) {
            assertEquals(f, Families.named(f.name()));
        }
    }

    /** The text CNN is a graph: it learns a toy rule, survives a byte round trip as a graph, and respects masks. */
    @Test
    void theTextCnnIsAGraphThatLearnsAndRoundTrips() throws Exception {
        Config c = config("model.family=text-cnn", "model.text-cnn.embedding-size=6", "model.text-cnn.filters=4",
                "model.text-cnn.filter-widths=[2,3]", "model.text-cnn.dropout=0", "model.learning-rate=0.05");
        TrainingSetup setup = Families.named(TextCnnFamily.NAME).setup(new SetupContext(c, TEXT, 1, null, null));
        Network net = setup.create();
        assertTrue(net.isGraph());
        // label 1 when the document holds an 'a' (id of "a"), else 0; documents padded to 5 with a mask
        int a = TOKENIZER.encode("a")[TOKENIZER.encode("a").length - 1];
        int b = TOKENIZER.encode("b")[TOKENIZER.encode("b").length - 1];
        int cc = TOKENIZER.encode("c")[TOKENIZER.encode("c").length - 1];
        int[][] docs = {{b, cc, a}, {b, cc, b, cc}, {a, b}, {cc, cc, b}};
        float[] y = {0, 1, 1, 0, 0, 1, 1, 0};
        INDArray x = Nd4j.zeros(4, 1, 5);
        INDArray mask = Nd4j.zeros(4, 5);
        for (int i = 0; i < docs.length; i++) {
            for (int t = 0; t < docs[i].length; t++) {
                x.putScalar(new long[] {i, 0, t}, docs[i][t]);
                mask.putScalar(i, t, 1);
            }
        }
        DataSet ds = new DataSet(x, Nd4j.create(y, new long[] {4, 2}, 'c'), mask, null);
        for (int i = 0; i < 200; i++) {
            net.fit(ds);
        }
        INDArray out = net.output(x, mask);
        for (int i = 0; i < 4; i++) {
            assertEquals(y[2 * i + 1] == 1 ? 1 : 0, out.getRow(i).argMax().getInt(0), "document " + i);
        }
        Network back = Network.fromBytes(net.toBytes(true), true);
        assertTrue(back.isGraph(), "a graph reads back as a graph");
        assertEquals(net.params(), back.params());
        assertEquals(net.updaterState(), back.updaterState());
        assertEquals(out, back.output(x, mask));
        // padding beyond the mask does not change the output
        INDArray wider = Nd4j.zeros(4, 1, 9);
        wider.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).assign(x);
        INDArray widerMask = Nd4j.zeros(4, 9);
        widerMask.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).assign(mask);
        INDArray padded = net.output(wider, widerMask);
        assertTrue(padded.equalsWithEps(out, 1e-5), "padding changed the output: " + out + " vs " + padded);
    }

    /** DL4J's NoOp updater would apply the raw gradient and L2: the frozen table must not move at all. */
    @Test
    void theTextCnnsFrozenEmbeddingIsUnchangedByTraining() {
        Config c = config("model.family=text-cnn", "model.text-cnn.embedding-size=6", "model.text-cnn.filters=4",
                "model.text-cnn.filter-widths=[2]", "model.text-cnn.freeze-embedding=true", "model.learning-rate=0.05");
        Network net = Families.named(TextCnnFamily.NAME).setup(new SetupContext(c, TEXT, 1, null, null)).create();
        INDArray embedding = net.graph().getLayer(dev.nightjar.model.TextCnns.EMBEDDING).getParam("W").dup();
        INDArray x = Nd4j.create(new float[] {1, 4, 5, 6, 0, 6, 5, 0}, new long[] {2, 1, 4}, 'c');
        INDArray mask = Nd4j.create(new float[] {1, 1, 1, 1, 1, 1, 1, 0}, new long[] {2, 4}, 'c');
        DataSet ds = new DataSet(x, Nd4j.create(new float[] {0, 1, 1, 0}, new long[] {2, 2}, 'c'), mask, null);
        for (int i = 0; i < 5; i++) {
            net.fit(ds);
        }
        assertEquals(embedding, net.graph().getLayer(dev.nightjar.model.TextCnns.EMBEDDING).getParam("W"));
    }

    @Test
    void aLayerStackReadsBackAsALayerStack() throws Exception {
        Config c = config("model.lm.embedding-size=4", "model.lm.lstm-sizes=[6]");
        DatasetInfo lm = new DatasetInfo(DatasetKind.LANGUAGE_MODEL, null, null, TOKENIZER, 10, 4);
        Network net = Families.named(LanguageModelFamily.NAME).setup(new SetupContext(c, lm, 1, null, null)).create();
        Network back = Network.fromBytes(net.toBytes(false), false);
        assertTrue(!back.isGraph());
        assertEquals(net.params(), back.params());
    }
}
