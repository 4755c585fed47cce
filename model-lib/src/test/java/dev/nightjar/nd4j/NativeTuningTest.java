package dev.nightjar.nd4j;

import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.ImageShape;
import dev.nightjar.config.Configs;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guards the 3x CPU speed-up: nothing else tells you when DL4J drops its oneDNN helpers. */
class NativeTuningTest {

    @Test
    void oneDnnHelpersAreAttachedToConvAndPoolingLayers() {
        NativeTuning.apply(2);
        assertEquals("CPU", NativeTuning.backendName());
        assertTrue(NativeTuning.helpersEnabled(), "oneDNN helpers are off: the Nd4jCpu shim or the system property is missing");
        MultiLayerNetwork net = ImageClassifiers.create(ImageModelConfig.from(Configs.defaults()), new ImageShape(1, 28, 28), 10, 1);
        assertInstanceOf(MKLDNNConvHelper.class, ((ConvolutionLayer) net.getLayer(0)).getHelper());
        assertInstanceOf(MKLDNNSubsamplingHelper.class, ((SubsamplingLayer) net.getLayer(1)).getHelper());
    }

    @Test
    void threadSettingReachesNd4j() {
        NativeTuning.apply(1);
        assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
        NativeTuning.apply(2);
        assertEquals(2, Nd4j.getEnvironment().maxMasterThreads());
    }
}
