package dev.nightjar.model.family;

import dev.nightjar.UserException;
import dev.nightjar.config.Section;
import dev.nightjar.model.FrozenPrefix;
import dev.nightjar.model.ImageClassifiers;
import dev.nightjar.model.ImageModelConfig;
import dev.nightjar.model.ImageTransferConfig;
import dev.nightjar.model.Network;
import dev.nightjar.model.Optimizer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CNN image classifiers (LeNet, a VGG-style convnet) on image datasets: {@code model.*}. {@code --init-from} an image
 * model (classifier or autoencoder) of the same input shape copies its trunk and puts a new head on for the dataset's
 * labels, fine-tuned as {@code model.transfer.finetune} says.
 */
public final class ImageClassifierFamily extends BaseFamily {
    public static final String NAME = "image-classifier";
    private static final Logger LOG = LoggerFactory.getLogger(ImageClassifierFamily.class);

    public ImageClassifierFamily() {
        super(NAME, DatasetKind.IMAGE, MetricsKind.CLASSIFIER,
                "CNN image classifier (model.architecture: lenet | convnet), a MultiLayerNetwork; --init-from an image model "
                        + "fine-tunes its trunk with a new head (model.transfer.*)");
    }

    @Override
    public List<Section> sections() {
        return List.of(Optimizer.SECTION, ImageModelConfig.SECTION, ImageTransferConfig.SECTION);
    }

    @Override
    public TrainingSetup setup(SetupContext ctx) {
        ImageModelConfig model = ImageModelConfig.from(ctx.config());
        ImageTransferConfig transfer = ImageTransferConfig.from(ctx.config());
        MultiLayerNetwork source = ImageWarmStart.source(ctx);
        return new Setup(ctx, model, transfer, source);
    }

    /** The run's state: the unfrozen configuration and, with a warm start, what was copied and which prefixes freeze. */
    private static final class Setup implements TrainingSetup {
        private final SetupContext ctx;
        private final ImageModelConfig model;
        private final ImageTransferConfig transfer;
        private final MultiLayerNetwork source;
        private MultiLayerConfiguration unfrozen;
        private ImageWarmStart.Copied copied;
        private int[] prefixes;

        Setup(SetupContext ctx, ImageModelConfig model, ImageTransferConfig transfer, MultiLayerNetwork source) {
            this.ctx = ctx;
            this.model = model;
            this.transfer = transfer;
            this.source = source;
        }

        @Override
        public Network create() {
            DatasetInfo data = ctx.data();
            MultiLayerNetwork net = ImageClassifiers.create(model, data.shape(), data.requireLabels().size(), ctx.epochs());
            unfrozen = net.getLayerWiseConfigurations().clone();
            if (source == null) {
                return Network.of(net);
            }
            boolean sameLabels = NAME.equals(ctx.initFrom().kind()) && data.labels().equals(ctx.initFrom().labels());
            copied = ImageWarmStart.copy(source, net, sameLabels);
            int trunk = ImageClassifiers.trunk(model).size();
            if (copied.layers() < trunk) {
                throw new UserException("--init-from " + ctx.initFromRef() + " does not have this network's trunk: " + copied.mismatch()
                        + ImageWarmStart.SAME_TRUNK);
            }
            boolean outputCopied = copied.layers() == net.getnLayers();
            prefixes = ImageWarmStart.freezingPrefixes(net, outputCopied ? copied.layers() - 1 : copied.layers());
            LOG.info("image classifier from {}: {} layers copied ({} parameters), {} head, fine-tuning {} (frozen layers per epoch: {})",
                    ctx.initFromRef(), copied.layers(), copied.params(), outputCopied ? "the source's" : "a new",
                    transfer.finetune(), java.util.stream.IntStream.range(0, ctx.epochs()).mapToObj(this::frozenPrefix).toList());
            return Network.of(net);
        }

        private int frozenPrefix(int epoch) {
            return prefixes[transfer.frozenLayers(epoch, prefixes.length - 1)];
        }

        @Override
        public Network beforeEpoch(int epoch, Network net) {
            if (source == null) {
                return net;
            }
            int frozen = frozenPrefix(epoch);
            if (frozen == FrozenPrefix.frozenLayers(net.multiLayer())) {
                return net;
            }
            LOG.info("epoch {}: the bottom {} layers frozen", epoch + 1, frozen);
            return Network.of(FrozenPrefix.withFrozen(unfrozen, net.multiLayer(), frozen));
        }

        /** Saved without frozen wrappers: the same network, whatever stage training ended in. */
        @Override
        public Network forBundle(Network trained) {
            return source == null ? trained : Network.of(FrozenPrefix.withFrozen(unfrozen, trained.multiLayer(), 0));
        }

        @Override
        public Map<String, Object> provenance() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("input_shape", ctx.data().shape());
            p.put("architecture", model.architecture());
            if (source != null) {
                p.put("init_from", ctx.initFromRef());
                p.put("init_from_kind", ctx.initFrom().kind());
                p.put("finetune", transfer.finetune());
                p.put("init_from_layers", copied == null ? null : copied.provenance());
            }
            return p;
        }
    }
}
