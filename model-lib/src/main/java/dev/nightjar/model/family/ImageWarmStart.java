package dev.nightjar.model.family;

import dev.nightjar.UserException;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.ModelBundle;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --init-from} for the image families: the source is an image model (an image classifier or an image
 * autoencoder) of the dataset's input shape; its layers are copied bottom up, exactly, for as long as they match the
 * new network's (the same layer type with parameters of the same shapes): the trunk both build from the same
 * {@code model.*} keys, a classifier's dense layer of the same width, and, when asked, the output layer.
 */
final class ImageWarmStart {
    /** What a trunk mismatch asks of the user. */
    static final String SAME_TRUNK = " (train with the " + String.join(", ", java.util.stream.Stream.of(ImageModelConfig.ARCHITECTURE,
            ImageModelConfig.LENET_FILTERS, ImageModelConfig.CONV_FILTERS, ImageModelConfig.CONVS_PER_BLOCK).map(s -> s.key()).toList())
            + " it was trained with)";

    private ImageWarmStart() {
    }

    /**
     * What was copied.
     *
     * @param layers   how many bottom layers were copied (with or without weights)
     * @param names    per copied layer with weights, its index, type and parameter shapes
     * @param params   parameters copied
     * @param mismatch the first layer that did not match (theirs and ours), or null when the copy stopped at the end
     */
    record Copied(int layers, List<String> names, long params, String mismatch) {
        Map<String, Object> provenance() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("layers", layers);
            p.put("params", params);
            p.put("copied", names);
            return p;
        }
    }

    /**
     * The source network of {@code --init-from}, checked: an image model whose input shape is the dataset's. Null
     * without {@code --init-from}.
     */
    static MultiLayerNetwork source(SetupContext ctx) {
        ModelBundle from = ctx.initFrom();
        if (from == null) {
            return null;
        }
        String ref = ctx.initFromRef();
        boolean image = Families.all().stream().anyMatch(f -> f.name().equals(from.kind()) && f.dataset() == DatasetKind.IMAGE);
        if (!image || from.tokenizer() != null || from.network().isGraph()) {
            throw new UserException("--init-from " + ref + " is a " + from.kind() + "; an image model (" + String.join(" or ",
                    Families.all().stream().filter(f -> f.dataset() == DatasetKind.IMAGE).map(ModelFamily::name).toList()) + ") is needed");
        }
        ImageShape theirs = from.inputShape();
        ImageShape ours = ctx.data().shape();
        if (!theirs.equals(ours)) {
            throw new UserException("--init-from " + ref + " takes images of " + theirs + " (channels x height x width) but the dataset's are "
                    + ours + ": prepare the images at " + theirs + " (prepare.images.channels, prepare.images.height, prepare.images.width)");
        }
        return from.network().multiLayer();
    }

    /**
     * Copies the matching bottom layers of {@code source} into {@code target}, weights and batch-norm statistics
     * exactly. Without {@code withOutput} neither network's output layer is compared or copied.
     */
    static Copied copy(MultiLayerNetwork source, MultiLayerNetwork target, boolean withOutput) {
        int last = withOutput ? 0 : 1;
        int max = Math.min(source.getnLayers() - last, target.getnLayers() - last);
        List<String> names = new ArrayList<>();
        long params = 0;
        int i = 0;
        String mismatch = null;
        for (; i < max; i++) {
            String theirs = describe(source, i);
            String ours = describe(target, i);
            if (!theirs.equals(ours)) {
                mismatch = "layer " + i + " is " + theirs + " in the source but " + ours + " here";
                break;
            }
            INDArray p = source.getLayer(i).params();
            if (p != null && p.length() > 0) {
                target.getLayer(i).setParams(p.dup());
                names.add(i + " " + theirs);
                params += p.length();
            }
        }
        if (mismatch == null && i < target.getnLayers() - last) {
            mismatch = "the source has " + i + " layers below its output layer; this network has more";
        }
        return new Copied(i, List.copyOf(names), params, mismatch);
    }

    /** A layer's type and its parameters' shapes, e.g. {@code ConvolutionLayer W[20, 1, 5, 5] b[1, 20]}. */
    private static String describe(MultiLayerNetwork net, int i) {
        Layer conf = net.getLayerWiseConfigurations().getConf(i).getLayer();
        if (conf instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f) {
            conf = f.getLayer();
        }
        StringBuilder s = new StringBuilder(conf.getClass().getSimpleName());
        net.getLayer(i).paramTable().forEach((k, v) -> s.append(' ').append(k).append(Arrays.toString(v.shape())));
        return s.toString();
    }

    /**
     * Prefix lengths to freeze: element f freezes the bottom f layers with weights among the first {@code layers} (and the
     * layers without weights below them; none above the top one, so a dropout layer there stays on).
     */
    static int[] freezingPrefixes(MultiLayerNetwork net, int layers) {
        List<Integer> withWeights = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            if (net.getLayer(i).numParams() > 0) {
                withWeights.add(i);
            }
        }
        int[] prefix = new int[withWeights.size() + 1];
        for (int f = 1; f < prefix.length; f++) {
            prefix[f] = withWeights.get(f - 1) + 1;
        }
        return prefix;
    }
}
