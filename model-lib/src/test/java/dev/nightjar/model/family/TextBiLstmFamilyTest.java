package dev.nightjar.model.family;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.model.Embeddings;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Network;
import dev.nightjar.model.TextBiLstms;
import dev.nightjar.text.Segmenter;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.text.WordVectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextBiLstmFamilyTest {
    private static final Tokenizer TOKENIZER = Tokenizer.fromCounts(Segmenter.CHAR, Map.of("a", 5L, "b", 4L, "c", 3L, " ", 2L), 1, 100);
    private static final LabelMap LABELS = new LabelMap(List.of("neg", "pos"));
    private static final DatasetInfo TEXT = new DatasetInfo(DatasetKind.CLASSIFICATION, null, LABELS, TOKENIZER, 12, 4);
    /** A small BiLSTM: 6-wide embedding, 4 units per direction. */
    private static final String[] SMALL = {"model.family=text-bilstm", "model.text-bilstm.embedding-size=6", "model.text-bilstm.lstm-size=4"};

    private static Config config(String... sets) {
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(sets)));
    }

    private static String[] small(String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(SMALL), java.util.Arrays.stream(more)).toArray(String[]::new);
    }

    private static Network create(DatasetInfo data, ModelBundle initFrom, String... sets) {
        return Families.named(TextBiLstmFamily.NAME).setup(new SetupContext(config(sets), data, 1, initFrom, initFrom == null ? null : "vectors"))
                .create();
    }

    private static int id(String token) {
        int[] ids = TOKENIZER.encode(token);
        return ids[ids.length - 1];
    }

    /** Four documents, label 1 when one holds an 'a', right-padded to {@code width} ids {@code [4, 1, width]} with a mask {@code [4, width]}. */
    private static DataSet toyRule(int width) {
        int a = id("a");
        int b = id("b");
        int c = id("c");
        int[][] docs = {{b, c, a}, {b, c, b, c}, {a, b}, {c, c, b}};
        INDArray x = Nd4j.zeros(4, 1, width);
        INDArray mask = Nd4j.zeros(4, width);
        for (int i = 0; i < docs.length; i++) {
            for (int t = 0; t < docs[i].length; t++) {
                x.putScalar(new long[] {i, 0, t}, docs[i][t]);
                mask.putScalar(i, t, 1);
            }
        }
        float[] y = {0, 1, 1, 0, 0, 1, 1, 0};
        return new DataSet(x, Nd4j.create(y, new long[] {4, 2}, 'c'), mask, null);
    }

    /** The BiLSTM is a graph: it learns a toy rule, survives a byte round trip as a graph, and ignores padding past the mask. */
    @Test
    void theBiLstmIsAGraphThatLearnsRoundTripsAndIgnoresPadding() throws Exception {
        Network net = create(TEXT, null, small("model.text-bilstm.dropout=0", "model.learning-rate=0.05"));
        assertTrue(net.isGraph());
        DataSet ds = toyRule(5);
        for (int i = 0; i < 100; i++) {
            net.fit(ds);
        }
        INDArray out = net.output(ds.getFeatures(), ds.getFeaturesMaskArray());
        INDArray labels = ds.getLabels();
        for (int i = 0; i < 4; i++) {
            assertEquals(labels.getRow(i).argMax().getInt(0), out.getRow(i).argMax().getInt(0), "document " + i);
        }
        Network back = Network.fromBytes(net.toBytes(true), true);
        assertTrue(back.isGraph(), "a graph reads back as a graph");
        assertEquals(net.params(), back.params());
        assertEquals(net.updaterState(), back.updaterState());
        assertEquals(out, back.output(ds.getFeatures(), ds.getFeaturesMaskArray()));

        // the same documents with 4 more padded steps (id 0, mask 0): both directions and both poolings see only real steps
        DataSet wider = toyRule(9);
        INDArray padded = net.output(wider.getFeatures(), wider.getFeaturesMaskArray());
        assertTrue(padded.equalsWithEps(out, 1e-5), "padding changed the output: " + out + " vs " + padded);
        // and padding with other ids than 0 does not either
        INDArray noisy = wider.getFeatures().dup();
        noisy.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(5, 9)).assign(id("a"));
        INDArray noisyOut = net.output(noisy, wider.getFeaturesMaskArray());
        assertTrue(noisyOut.equalsWithEps(out, 1e-5), "ids past the mask changed the output: " + out + " vs " + noisyOut);
    }

    @Test
    void aFrozenEmbeddingIsUnchangedByTraining() throws Exception {
        Network net = create(TEXT, null, small("model.text-bilstm.freeze-embedding=true", "model.learning-rate=0.05"));
        INDArray embedding = net.graph().getLayer(TextBiLstms.EMBEDDING).getParam("W").dup();
        INDArray forward = net.graph().getLayer(TextBiLstms.FORWARD).params().dup();
        INDArray backward = net.graph().getLayer(TextBiLstms.BACKWARD).params().dup();
        for (int i = 0; i < 5; i++) {
            net.fit(toyRule(5));
        }
        assertEquals(embedding, net.graph().getLayer(TextBiLstms.EMBEDDING).getParam("W"), "the frozen embedding moved");
        assertNotEquals(forward, net.graph().getLayer(TextBiLstms.FORWARD).params(), "the forward LSTM did not train");
        assertNotEquals(backward, net.graph().getLayer(TextBiLstms.BACKWARD).params(), "the backward LSTM did not train");
        Network back = Network.fromBytes(net.toBytes(true), true);
        back.fit(toyRule(5));
        assertEquals(embedding, back.graph().getLayer(TextBiLstms.EMBEDDING).getParam("W"), "read back, the embedding is still frozen");

        Network tuned = create(TEXT, null, small("model.learning-rate=0.05"));
        INDArray before = tuned.graph().getLayer(TextBiLstms.EMBEDDING).getParam("W").dup();
        tuned.fit(toyRule(5));
        assertNotEquals(before, tuned.graph().getLayer(TextBiLstms.EMBEDDING).getParam("W"), "without freezing the embedding trains");
    }

    @Test
    void initFromWordVectorsCopiesTheirTableAndChecksItsWidth() throws Exception {
        WordVectors v = WordVectors.read(new ByteArrayInputStream("good 1 2 3\nbad -1 -2 -3\nfine 0.5 1 1.5\n"
                .getBytes(StandardCharsets.UTF_8)), "glove", "t", 0);
        ModelBundle vectors = Embeddings.bundle(v, "t", "glove");
        DatasetInfo words = new DatasetInfo(DatasetKind.CLASSIFICATION, null, LABELS, v.tokenizer(), 12, 4);
        Network net = create(words, vectors, "model.text-bilstm.embedding-size=3", "model.text-bilstm.lstm-size=4");
        assertEquals(Nd4j.create(v.table()), net.graph().getLayer(TextBiLstms.EMBEDDING).getParam("W"));
        Network frozen = create(words, vectors, "model.text-bilstm.embedding-size=3", "model.text-bilstm.lstm-size=4",
                "model.text-bilstm.freeze-embedding=true");
        assertEquals(Nd4j.create(v.table()), frozen.graph().getLayer(TextBiLstms.EMBEDDING).getParam("W"), "copied into a frozen layer too");

        UserException wide = assertThrows(UserException.class, () -> create(words, vectors, SMALL));
        assertTrue(wide.getMessage().contains("model.text-bilstm.embedding-size"), wide.getMessage());
        UserException otherTokenizer = assertThrows(UserException.class, () -> create(TEXT, vectors, SMALL));
        assertTrue(otherTokenizer.getMessage().contains("word vectors") && otherTokenizer.getMessage().contains("char tokenizer"),
                otherTokenizer.getMessage());

        // a corpus tokenizer of its own: the words the vectors know are copied by word, the others keep fresh rows
        Tokenizer corpus = Tokenizer.fromCounts(Segmenter.WORD, java.util.Map.of("fine", 3L, "awful", 2L, "good", 1L), 1, 100);
        assertEquals(List.of("fine", "awful", "good"), corpus.vocab().subList(4, 7));
        Network byWord = create(new DatasetInfo(DatasetKind.CLASSIFICATION, null, LABELS, corpus, 12, 4), vectors,
                "model.text-bilstm.embedding-size=3", "model.text-bilstm.lstm-size=4");
        INDArray w = byWord.graph().getLayer(TextBiLstms.EMBEDDING).getParam("W");
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f}, w.getRow(4).toFloatVector(), 1e-6f, "fine");
        assertArrayEquals(new float[] {1f, 2f, 3f}, w.getRow(6).toFloatVector(), 1e-6f, "good");
        float[] awful = w.getRow(5).toFloatVector();
        for (float[] known : v.table()) {
            assertFalse(java.util.Arrays.equals(known, awful), "awful is unknown to the vectors: a fresh row");
        }
        TrainingSetup setup = Families.named(TextBiLstmFamily.NAME).setup(new SetupContext(config("model.text-bilstm.embedding-size=3",
                "model.text-bilstm.lstm-size=4"), new DatasetInfo(DatasetKind.CLASSIFICATION, null, LABELS, corpus, 12, 4), 1, vectors, "vectors"));
        assertEquals(Map.of("copied", 2, "tokens", 7), setup.provenance().get("init_from_embedding"), "provenance counts the copied rows");
    }

    @Test
    void autoStillPicksTheFirstClassificationFamilyAndTheBiLstmComesAfterTheCnn() {
        assertEquals(TextClassifierFamily.NAME, Families.forTraining(config(), DatasetKind.CLASSIFICATION).name());
        List<String> names = Families.names();
        assertEquals(names.indexOf(TextCnnFamily.NAME) + 1, names.indexOf(TextBiLstmFamily.NAME));
        assertEquals(TextBiLstmFamily.NAME, Families.forTraining(config("model.family=text-bilstm"), DatasetKind.CLASSIFICATION).name());
    }
}
