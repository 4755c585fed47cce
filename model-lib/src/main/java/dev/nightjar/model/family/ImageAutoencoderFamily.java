package dev.nightjar.model.family;

import dev.nightjar.UserException;
import dev.nightjar.config.Section;
import dev.nightjar.model.ImageAutoencoderConfig;
import dev.nightjar.model.ImageAutoencoders;
import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.Network;
import dev.nightjar.model.Optimizer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Convolutional (denoising) autoencoders on image datasets, labels unused: the image classifier's trunk as the
 * encoder ({@code model.*}), a decoder back to the input, {@code model.autoencoder.*}. Its records feed the images as
 * both input and target; it is measured by reconstruction error. {@code --init-from} an image model of the same
 * input shape starts from its trunk (a classifier's) or from all of it (an autoencoder's, to continue it); an image
 * classifier trained {@code --init-from} its bundle takes its encoder as the trunk.
 */
public final class ImageAutoencoderFamily extends BaseFamily {
    public static final String NAME = "image-autoencoder";

    public ImageAutoencoderFamily() {
        super(NAME, DatasetKind.IMAGE, MetricsKind.RECONSTRUCTION,
                "convolutional (denoising) autoencoder whose encoder is the image classifier's trunk, pretrained on images "
                        + "with labels unused (model.autoencoder.*), a MultiLayerNetwork");
    }

    @Override
    public List<Section> sections() {
        return List.of(Optimizer.SECTION, ImageModelConfig.SECTION, ImageAutoencoderConfig.SECTION);
    }

    /** The images are the input and the target. */
    @Override
    public InputEncoding input(Network net) {
        return InputEncoding.reconstruction(dataset());
    }

    @Override
    public TrainingSetup setup(SetupContext ctx) {
        ImageAutoencoderConfig model = ImageAutoencoderConfig.from(ctx.config());
        MultiLayerNetwork source = ImageWarmStart.source(ctx);
        return new TrainingSetup() {
            private ImageWarmStart.Copied copied;

            @Override
            public Network create() {
                MultiLayerNetwork net = ImageAutoencoders.create(model, ctx.data().shape(), ctx.epochs());
                if (source != null) {
                    copied = ImageWarmStart.copy(source, net, false);
                    if (copied.layers() < ImageClassifiers.trunk(model.trunk()).size()) {
                        throw new UserException("--init-from " + ctx.initFromRef() + " does not have this network's encoder: "
                                + copied.mismatch() + ImageWarmStart.SAME_TRUNK);
                    }
                }
                return Network.of(net);
            }

            /** DL4J's score of the loss layer sums over pixel positions (and averages MSE over channels). */
            @Override
            public int stepsPerScore() {
                return ctx.data().shape().height() * ctx.data().shape().width();
            }

            @Override
            public Map<String, Object> provenance() {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("input_shape", ctx.data().shape());
                p.put("architecture", model.trunk().architecture());
                p.put("encoder_layers", ImageClassifiers.trunk(model.trunk()).size());
                p.put("noise", model.noise());
                p.put("noise_level", model.noise().equals("none") ? null : model.noiseLevel());
                p.put("loss", model.loss());
                if (source != null) {
                    p.put("init_from", ctx.initFromRef());
                    p.put("init_from_kind", ctx.initFrom().kind());
                    p.put("init_from_layers", copied == null ? null : copied.provenance());
                }
                return p;
            }
        };
    }
}
