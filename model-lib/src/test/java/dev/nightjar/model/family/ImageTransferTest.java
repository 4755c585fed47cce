package dev.nightjar.model.family;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.model.FrozenPrefix;
import dev.nightjar.model.ImageAutoencoderConfig;
import dev.nightjar.model.ImageAutoencoders;
import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Network;
import dev.nightjar.util.Json;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --init-from} an image model: the trunk is copied exactly, frozen as the fine-tune mode says, shapes checked. */
class ImageTransferTest {
    private static final ImageShape GREY = new ImageShape(1, 12, 12);
    private static final DatasetInfo NEW_LABELS = new DatasetInfo(DatasetKind.IMAGE, GREY, new LabelMap(List.of("x", "y")), null, 0, 8);
    private static final String[] SMALL = {"model.lenet-filters=[3,4]", "model.dense-units=8", "model.learning-rate=0.05"};

    private static Config config(String... sets) {
        List<String> all = new java.util.ArrayList<>(List.of(SMALL));
        all.addAll(List.of(sets));
        return Configs.layered(Configs.defaults(), Configs.parseOverrides(all));
    }

    private static Map<String, Object> provenance(String kind, ImageShape shape) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", kind);
        p.put("input_shape", Json.MAPPER.convertValue(shape, Map.class));
        return p;
    }

    /** A trained-looking classifier of three other classes: its weights come from another seed than the new network's. */
    private static ModelBundle classifier(ImageShape shape) {
        MultiLayerNetwork net = ImageClassifiers.create(ImageModelConfig.from(config("seed=9")), shape, 3, 1);
        return new ModelBundle(net, new LabelMap(List.of("a", "b", "c")), null, provenance(ImageClassifierFamily.NAME, shape));
    }

    private static ModelBundle autoencoder() {
        MultiLayerNetwork net = ImageAutoencoders.create(ImageAutoencoderConfig.from(config("seed=9")), GREY, 1);
        return new ModelBundle(net, new LabelMap(List.of("a", "b", "c")), null, provenance(ImageAutoencoderFamily.NAME, GREY));
    }

    private static TrainingSetup setup(Config c, ModelBundle from, int epochs) {
        return Families.named(ImageClassifierFamily.NAME).setup(new SetupContext(c, NEW_LABELS, epochs, from, "source-model"));
    }

    private static DataSet batch() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 12, 12);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 2);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 2, 1);
        }
        return new DataSet(x, y);
    }

    @Test
    void aClassifiersTrunkAndDenseLayerAreCopiedBitForBitAndTheNewHeadFitsTheNewLabels() {
        ModelBundle from = classifier(GREY);
        TrainingSetup s = setup(config(), from, 1);
        MultiLayerNetwork net = s.create().multiLayer();
        MultiLayerNetwork src = from.network().multiLayer();
        for (int i : new int[] {0, 2, 4}) { // conv, conv, dense
            assertEquals(src.getLayer(i).params(), net.getLayer(i).params(), "layer " + i + " copied exactly");
        }
        assertEquals(2, net.output(batch().getFeatures()).size(1), "the head has the dataset's two classes");
        @SuppressWarnings("unchecked")
        Map<String, Object> copied = (Map<String, Object>) s.provenance().get("init_from_layers");
        assertEquals(5, copied.get("layers"));
        assertEquals(3, ((List<?>) copied.get("copied")).size());
        assertEquals("source-model", s.provenance().get("init_from"));
        assertEquals(ImageClassifierFamily.NAME, s.provenance().get("init_from_kind"));
    }

    @Test
    void anAutoencodersEncoderIsCopiedAsTheTrunkAndTheDenseLayerIsFresh() {
        ModelBundle from = autoencoder();
        MultiLayerNetwork net = setup(config(), from, 1).create().multiLayer();
        MultiLayerNetwork src = from.network().multiLayer();
        assertEquals(src.getLayer(0).params(), net.getLayer(0).params());
        assertEquals(src.getLayer(2).params(), net.getLayer(2).params());
        MultiLayerNetwork scratch = ImageClassifiers.create(ImageModelConfig.from(config()), GREY, 2, 1);
        assertEquals(scratch.getLayer(4).params(), net.getLayer(4).params(), "the dense layer keeps its fresh weights");
        assertNotEquals(scratch.getLayer(0).params(), net.getLayer(0).params());
    }

    /** head: after training, the frozen trunk and dense layer are unchanged bit for bit, the head has moved; saved unfrozen. */
    @Test
    void headModeTrainsTheHeadOnly() {
        ModelBundle from = classifier(GREY);
        TrainingSetup s = setup(config("model.transfer.finetune=head"), from, 2);
        Network net = s.create();
        INDArray before = net.params().dup();
        net = s.beforeEpoch(0, net);
        assertEquals(5, FrozenPrefix.frozenLayers(net.multiLayer()), "conv, pool, conv, pool, dense frozen");
        DataSet ds = batch();
        for (int i = 0; i < 5; i++) {
            net.fit(ds);
        }
        Network saved = s.forBundle(s.beforeEpoch(1, net));
        assertEquals(0, FrozenPrefix.frozenLayers(saved.multiLayer()), "saved without frozen wrappers");
        MultiLayerNetwork src = from.network().multiLayer();
        for (int i : new int[] {0, 2, 4}) {
            assertEquals(src.getLayer(i).params(), saved.multiLayer().getLayer(i).params(), "layer " + i + " did not move");
        }
        int out = saved.multiLayer().getnLayers() - 1;
        MultiLayerNetwork fresh = setup(config("model.transfer.finetune=head"), from, 2).create().multiLayer();
        assertNotEquals(fresh.getLayer(out).params(), saved.multiLayer().getLayer(out).params(), "the head trained");
        assertNotEquals(before, saved.params());
    }

    @Test
    void gradualUnfreezesOneLayerWithWeightsPerStageTopFirstAndFullFreezesNothing() {
        ModelBundle from = classifier(GREY);
        TrainingSetup gradual = setup(config("model.transfer.finetune=gradual"), from, 4);
        Network net = gradual.create();
        List<Integer> frozen = new java.util.ArrayList<>();
        for (int e = 0; e < 4; e++) {
            net = gradual.beforeEpoch(e, net);
            frozen.add(FrozenPrefix.frozenLayers(net.multiLayer()));
        }
        assertEquals(List.of(5, 3, 1, 0), frozen, "dense, then the second conv block, then the first thaw");
        TrainingSetup full = setup(config("model.transfer.finetune=full"), from, 2);
        Network n = full.create();
        assertEquals(0, FrozenPrefix.frozenLayers(full.beforeEpoch(0, n).multiLayer()));
    }

    @Test
    void aMismatchedInputShapeNamesBothShapes() {
        ModelBundle rgb = classifier(new ImageShape(3, 12, 12));
        UserException e = assertThrows(UserException.class, () -> setup(config(), rgb, 1));
        assertTrue(e.getMessage().contains("3x12x12") && e.getMessage().contains("1x12x12") && e.getMessage().contains("source-model"),
                e.getMessage());
        ModelBundle bigger = classifier(new ImageShape(1, 16, 16));
        UserException size = assertThrows(UserException.class, () -> setup(config(), bigger, 1));
        assertTrue(size.getMessage().contains("1x16x16") && size.getMessage().contains("1x12x12"), size.getMessage());
    }

    @Test
    void anotherTrunkOrANonImageModelIsRefusedNamingTheKey() {
        UserException arch = assertThrows(UserException.class,
                () -> setup(config("model.architecture=convnet", "model.conv-filters=[3,4]"), classifier(GREY), 1).create());
        assertTrue(arch.getMessage().contains("model.architecture") && arch.getMessage().contains("layer 0"), arch.getMessage());
        UserException filters = assertThrows(UserException.class,
                () -> setup(config("model.lenet-filters=[3,5]"), classifier(GREY), 1).create());
        assertTrue(filters.getMessage().contains("layer 2") && filters.getMessage().contains("model.lenet-filters"), filters.getMessage());
        ModelBundle lm = new ModelBundle(classifier(GREY).network(), null, null, Map.of("kind", LanguageModelFamily.NAME));
        UserException text = assertThrows(UserException.class, () -> setup(config(), lm, 1));
        assertTrue(text.getMessage().contains("an image model"), text.getMessage());
    }

    /** An autoencoder --init-from an autoencoder continues it (every layer); from a classifier it takes the trunk only. */
    @Test
    void anAutoencoderContinuesAnAutoencoderAndStartsFromAClassifiersTrunk() {
        ModelFamily family = Families.named(ImageAutoencoderFamily.NAME);
        ModelBundle ae = autoencoder();
        Network continued = family.setup(new SetupContext(config(), NEW_LABELS, 1, ae, "ae")).create();
        assertEquals(ae.network().params(), continued.params());
        ModelBundle clf = classifier(GREY);
        Network fromClassifier = family.setup(new SetupContext(config(), NEW_LABELS, 1, clf, "clf")).create();
        assertEquals(clf.network().multiLayer().getLayer(2).params(), fromClassifier.multiLayer().getLayer(2).params());
        assertNotEquals(ae.network().multiLayer().getLayer(5).params(), fromClassifier.multiLayer().getLayer(5).params(),
                "the decoder is fresh");
    }

    /** The same labels as the source classifier's: its output layer is copied too (a warm start), and stays trainable. */
    @Test
    void theSameLabelsKeepTheSourcesHead() {
        ModelBundle from = classifier(GREY);
        DatasetInfo same = new DatasetInfo(DatasetKind.IMAGE, GREY, from.labels(), null, 0, 8);
        TrainingSetup s = Families.named(ImageClassifierFamily.NAME).setup(new SetupContext(config("model.transfer.finetune=head"), same, 1,
                from, "source-model"));
        Network net = s.create();
        assertEquals(from.network().params(), net.params(), "every layer copied");
        assertEquals(5, FrozenPrefix.frozenLayers(s.beforeEpoch(0, net).multiLayer()), "the head stays trainable");
    }
}
