package dev.nightjar.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/**
 * Convolutional (denoising) autoencoders: the image classifier's trunk ({@link ImageClassifiers#trunk}), layer for
 * layer, as the encoder; a decoder that undoes each trunk block with 2x upsampling and a convolution of the block's
 * filters; a convolution to the input's channels, cropped to the input's size when pooling rounded up, and a sigmoid
 * loss layer comparing the reconstruction with the input (labels = features). Noise, when configured, is applied
 * to the first layer's input in training only, so the network learns to reconstruct the clean image.
 */
public final class ImageAutoencoders {
    private ImageAutoencoders() {
    }

    public static MultiLayerConfiguration configuration(ImageAutoencoderConfig cfg, ImageShape shape, int epochs) {
        ImageModelConfig trunkCfg = cfg.trunk();
        NeuralNetConfiguration.ListBuilder list = ImageClassifiers.base(trunkCfg, epochs);
        List<Layer> trunk = ImageClassifiers.trunk(trunkCfg);
        switch (cfg.noise()) {
            case "gaussian" -> trunk.get(0).setIDropout(new GaussianNoise(cfg.noiseLevel()));
            case "masking" -> trunk.get(0).setIDropout(new Dropout(1.0 - cfg.noiseLevel()));
            default -> { }
        }
        trunk.forEach(list::layer);
        List<ImageClassifiers.Block> blocks = ImageClassifiers.blocks(trunkCfg);
        int height = shape.height();
        int width = shape.width();
        for (int i = blocks.size() - 1; i >= 0; i--) {
            ImageClassifiers.Block b = blocks.get(i);
            list.layer(new Upsampling2D.Builder(2).build());
            list.layer(new ConvolutionLayer.Builder(b.kernel(), b.kernel()).nOut(b.filters()).activation(Activation.RELU).build());
        }
        for (int i = 0; i < blocks.size(); i++) {
            height = (height + 1) / 2; // 2x2 max pooling, stride 2, same padding: rounds up
            width = (width + 1) / 2;
        }
        list.layer(new ConvolutionLayer.Builder(3, 3).nOut(shape.channels()).activation(Activation.IDENTITY).build());
        int extraRows = (height << blocks.size()) - shape.height();
        int extraCols = (width << blocks.size()) - shape.width();
        if (extraRows > 0 || extraCols > 0) {
            list.layer(new Cropping2D(0, extraRows, 0, extraCols));
        }
        list.layer(new CnnLossLayer.Builder(cfg.loss().equals("xent") ? LossFunctions.LossFunction.XENT : LossFunctions.LossFunction.MSE)
                .activation(Activation.SIGMOID).build());
        return list.setInputType(InputType.convolutional(shape.height(), shape.width(), shape.channels())).build();
    }

    public static MultiLayerNetwork create(ImageAutoencoderConfig cfg, ImageShape shape, int epochs) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(cfg, shape, epochs));
        net.init();
        return net;
    }
}
