package dev.nightjar.model.family;

import dev.nightjar.UserException;
import dev.nightjar.config.Section;
import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.Network;
import dev.nightjar.model.Optimizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CNN image classifiers (LeNet, a VGG-style convnet) on image datasets: {@code model.*}. */
public final class ImageClassifierFamily extends BaseFamily {
    public static final String NAME = "image-classifier";

    public ImageClassifierFamily() {
        super(NAME, DatasetKind.IMAGE, MetricsKind.CLASSIFIER,
                "CNN image classifier (model.architecture: lenet | convnet), a MultiLayerNetwork");
    }

    @Override
    public List<Section> sections() {
        return List.of(Optimizer.SECTION, ImageModelConfig.SECTION);
    }

    @Override
    public TrainingSetup setup(SetupContext ctx) {
        if (ctx.initFrom() != null) {
            throw new UserException("--init-from applies to language models and text classifiers, not to an image dataset");
        }
        ImageModelConfig model = ImageModelConfig.from(ctx.config());
        DatasetInfo data = ctx.data();
        return new TrainingSetup() {
            @Override
            public Network create() {
                return Network.of(ImageClassifiers.create(model, data.shape(), data.requireLabels().size(), ctx.epochs()));
            }

            @Override
            public Map<String, Object> provenance() {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("input_shape", data.shape());
                p.put("architecture", model.architecture());
                return p;
            }
        };
    }
}
