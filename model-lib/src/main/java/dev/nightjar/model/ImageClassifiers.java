package dev.nightjar.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
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
        NeuralNetConfiguration.ListBuilder list = base(cfg, epochs);
        trunk(cfg).forEach(list::layer);
        list.layer(new DenseLayer.Builder().nOut(cfg.denseUnits()).activation(Activation.RELU).build());
        if (cfg.dropout() > 0) {
            list.layer(new DropoutLayer(1.0 - cfg.dropout()));
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(numClasses).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        return list.setInputType(InputType.convolutional(shape.height(), shape.width(), shape.channels())).build();
    }

    /** What every image network of this config shares: seed, updater, weight init, L2, same-padding convolutions. */
    static NeuralNetConfiguration.ListBuilder base(ImageModelConfig cfg, int epochs) {
        return new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .updater(cfg.optimizer().updater(epochs))
                .weightInit(cfg.weightInit().equals("relu") ? WeightInit.RELU : WeightInit.XAVIER)
                .l2(cfg.l2())
                .convolutionMode(ConvolutionMode.Same)
                .list();
    }

    /**
     * The trunk: the convolution blocks of the architecture, everything below the dense layer. An image
     * autoencoder's encoder is this trunk, layer for layer, so its weights transfer to a classifier.
     */
    public static java.util.List<Layer> trunk(ImageModelConfig cfg) {
        java.util.List<Layer> layers = new java.util.ArrayList<>();
        for (Block b : blocks(cfg)) {
            for (int i = 0; i < b.convs(); i++) {
                if (b.batchNorm()) {
                    layers.add(new ConvolutionLayer.Builder(b.kernel(), b.kernel()).nOut(b.filters()).activation(Activation.IDENTITY).build());
                    layers.add(new BatchNormalization.Builder().activation(Activation.RELU).build());
                } else {
                    layers.add(new ConvolutionLayer.Builder(b.kernel(), b.kernel()).nOut(b.filters()).activation(Activation.RELU).build());
                }
            }
            layers.add(maxPool());
            if (b.batchNorm() && cfg.dropout() > 0) {
                layers.add(new DropoutLayer(1.0 - cfg.dropout()));
            }
        }
        return layers;
    }

    /**
     * One block of the trunk: {@code convs} convolutions of {@code kernel}x{@code kernel} with {@code filters} filters
     * (each followed by batch norm when {@code batchNorm}), then 2x2 max pooling.
     */
    public record Block(int kernel, int filters, int convs, boolean batchNorm) {
    }

    /** The trunk's blocks: lenet's two 5x5 blocks, or the convnet's 3x3 blocks with batch norm. */
    public static java.util.List<Block> blocks(ImageModelConfig cfg) {
        if (cfg.architecture().equals("lenet")) {
            return cfg.lenetFilters().stream().map(f -> new Block(5, f, 1, false)).toList();
        }
        return cfg.convFilters().stream().map(f -> new Block(3, f, cfg.convsPerBlock(), true)).toList();
    }

    public static MultiLayerNetwork create(ImageModelConfig cfg, ImageShape shape, int numClasses, int epochs) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(cfg, shape, numClasses, epochs));
        net.init();
        return net;
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }
}
