package dev.nightjar.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Fine-tuning by freezing the bottom layers of a layer stack with DL4J's transfer-learning {@code FrozenLayer}: a
 * frozen layer's weights do not move (its updater, L2 and gradient are off) and batch norm runs on its running
 * statistics. The unfrozen configuration is the template, so layers frozen before can be thawed.
 */
public final class FrozenPrefix {
    private FrozenPrefix() {
    }

    /**
     * The same network and weights with its bottom {@code frozen} layers wrapped in {@code FrozenLayer} (0 = none).
     * The updater state starts anew.
     */
    public static MultiLayerNetwork withFrozen(MultiLayerConfiguration template, MultiLayerNetwork current, int frozen) {
        MultiLayerConfiguration conf = template.clone();
        for (int i = 0; i < frozen; i++) {
            conf.getConf(i).setLayer(new org.deeplearning4j.nn.conf.layers.misc.FrozenLayer(conf.getConf(i).getLayer()));
        }
        conf.setEpochCount(current.getLayerWiseConfigurations().getEpochCount());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(current.params().dup(), false);
        return net;
    }

    /** Layers of the network that are frozen. */
    public static int frozenLayers(MultiLayerNetwork net) {
        int n = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayer(i) instanceof FrozenLayer) {
                n++;
            }
        }
        return n;
    }
}
