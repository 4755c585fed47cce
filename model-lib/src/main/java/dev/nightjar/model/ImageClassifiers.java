package dev.nightjar.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;


/** Image classifier architectures, built from a typed config. NCHW throughout (see docs/stack.md on NHWC). */
public final class ImageClassifiers {
    private ImageClassifiers() {
    }

    /**
     * @param epochs total epochs planned, used by the cosine schedule
     */
    public static MultiLayerConfiguration configuration(ImageModelConfig cfg, ImageShape shape, int numClasses, int epochs) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .updater(cfg.optimizer().updater(epochs))
                .weightInit(cfg.weightInit().equals("relu") ? WeightInit.RELU : WeightInit.XAVIER)
                .l2(cfg.l2())
                .convolutionMode(ConvolutionMode.Same)
                .list();
        if (cfg.architecture().equals("lenet")) {
            lenet(list, cfg);
        } else {
            convnet(list, cfg);
        }
        list.layer(new DenseLayer.Builder().nOut(cfg.denseUnits()).activation(Activation.RELU).build());
        if (cfg.dropout() > 0) {
            list.layer(new DropoutLayer(1.0 - cfg.dropout()));
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(numClasses).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        return list.setInputType(InputType.convolutional(shape.height(), shape.width(), shape.channels())).build();
    }

    public static MultiLayerNetwork create(ImageModelConfig cfg, ImageShape shape, int numClasses, int epochs) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(cfg, shape, numClasses, epochs));
        net.init();
        return net;
    }

    private static void lenet(NeuralNetConfiguration.ListBuilder list, ImageModelConfig cfg) {
        list.layer(new ConvolutionLayer.Builder(5, 5).nOut(cfg.lenetFilters().get(0)).activation(Activation.RELU).build())
                .layer(maxPool())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(cfg.lenetFilters().get(1)).activation(Activation.RELU).build())
                .layer(maxPool());
    }

    private static void convnet(NeuralNetConfiguration.ListBuilder list, ImageModelConfig cfg) {
        for (int filters : cfg.convFilters()) {
            for (int i = 0; i < cfg.convsPerBlock(); i++) {
                list.layer(new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.IDENTITY).build())
                        .layer(new BatchNormalization.Builder().activation(Activation.RELU).build());
            }
            list.layer(maxPool());
            if (cfg.dropout() > 0) {
                list.layer(new DropoutLayer(1.0 - cfg.dropout()));
            }
        }
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }
}
