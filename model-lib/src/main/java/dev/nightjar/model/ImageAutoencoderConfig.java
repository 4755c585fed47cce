package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.List;

/**
 * Typed, validated {@code model.autoencoder.*}: the convolutional (denoising) autoencoder. Its encoder is the image
 * classifier's trunk, shaped by the same {@code model.*} keys ({@link ImageModelConfig}).
 *
 * @param trunk      the encoder's architecture, optimizer, L2 and seed
 * @param noise      none, gaussian (additive, standard deviation noiseLevel) or masking (each input pixel dropped
 *                   with probability noiseLevel), on the input in training only
 * @param noiseLevel the noise's standard deviation or drop probability
 * @param loss       mse (mean squared error) or xent (binary cross-entropy on [0, 1] pixels)
 */
public record ImageAutoencoderConfig(ImageModelConfig trunk, String noise, double noiseLevel, String loss) implements java.io.Serializable {
    public static final Setting<String> NOISE = Setting.oneOf("model.autoencoder.noise", "gaussian", List.of("none", "gaussian", "masking"),
            "Noise on the input during training (a denoising autoencoder): gaussian adds noise of standard deviation "
                    + "noise-level to every pixel, masking drops each pixel with probability noise-level, none trains a plain autoencoder.");
    public static final Setting<Double> NOISE_LEVEL = Setting.doubleIn("model.autoencoder.noise-level", 0.2, 0, 0.95,
            "gaussian: the noise's standard deviation (pixels are in [0, 1]); masking: the probability a pixel is dropped.");
    public static final Setting<String> LOSS = Setting.oneOf("model.autoencoder.loss", "mse", List.of("mse", "xent"),
            "The reconstruction loss: mse (mean squared error per pixel) or xent (binary cross-entropy on [0, 1] pixels).");

    public static final Section SECTION = new Section("model.autoencoder", "image autoencoder",
            "The convolutional (denoising) autoencoder that model.family=image-autoencoder trains on an image dataset's "
                    + "images, labels unused: its encoder is the image classifier's trunk (model.architecture and its filters), "
                    + "its decoder upsamples back to the input. train --init-from its bundle gives a classifier that trunk.",
            ImageAutoencoderConfig.class, NOISE, NOISE_LEVEL, LOSS);

    public static ImageAutoencoderConfig from(Config c) {
        return new ImageAutoencoderConfig(ImageModelConfig.from(c), NOISE.get(c), NOISE_LEVEL.get(c), LOSS.get(c));
    }
}
