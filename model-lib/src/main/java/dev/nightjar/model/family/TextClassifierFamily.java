package dev.nightjar.model.family;

import dev.nightjar.UserException;
import dev.nightjar.config.Section;
import dev.nightjar.model.LanguageModelConfig;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Network;
import dev.nightjar.model.Optimizer;
import dev.nightjar.model.TextClassifierConfig;
import dev.nightjar.model.TextClassifiers;
import dev.nightjar.text.Tokenizer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Text classifiers on a language model's encoder (embedding and LSTM layers, pooled over time):
 * {@code --init-from} a language model fine-tunes its encoder as {@code model.classifier.finetune}
 * says (head, gradual, full); without it the same network trains from scratch, shaped by
 * {@code model.lm.*}.
 */
public final class TextClassifierFamily extends BaseFamily {
    public static final String NAME = "text-classifier";
    private static final Logger LOG = LoggerFactory.getLogger(TextClassifierFamily.class);

    public TextClassifierFamily() {
        super(NAME, DatasetKind.CLASSIFICATION, MetricsKind.CLASSIFIER,
                "LSTM text classifier, fine-tuned from a language model's encoder or trained from scratch (model.classifier.*), "
                + "a MultiLayerNetwork");
    }

    @Override
    public List<Section> sections() {
        return List.of(Optimizer.SECTION, LanguageModelConfig.SECTION, TextClassifierConfig.SECTION);
    }

    @Override
    public TrainingSetup setup(SetupContext ctx) {
        TextClassifierConfig model = TextClassifierConfig.from(ctx.config());
        Tokenizer tokenizer = ctx.data().requireTokenizer();
        int classes = ctx.data().requireLabels().size();
        if (ctx.initFrom() != null) {
            requireLanguageModel(ctx.initFrom(), ctx.initFromRef(), tokenizer);
        }
        return new Setup(ctx, model, tokenizer, classes);
    }

    /** A language model with the dataset's tokenizer, or a clear error. */
    static void requireLanguageModel(ModelBundle lm, String ref, Tokenizer tokenizer) {
        if (!LanguageModelFamily.NAME.equals(lm.kind())) {
            throw new UserException("--init-from " + ref + " is a " + lm.kind() + "; a language model is needed");
        }
        if (!tokenizer.equals(lm.requireTokenizer())) {
            throw new UserException("the dataset was encoded with another tokenizer than the language model " + ref
                    + " (prepare it with --tokenizer-from " + ref + ")");
        }
    }

    /** The run's state: the unfrozen configuration (the template every freezing stage starts from). */
    private static final class Setup implements TrainingSetup {
        private final SetupContext ctx;
        private final TextClassifierConfig model;
        private final Tokenizer tokenizer;
        private final int classes;
        private MultiLayerConfiguration unfrozen;
        private int encoderLayers;

        Setup(SetupContext ctx, TextClassifierConfig model, Tokenizer tokenizer, int classes) {
            this.ctx = ctx;
            this.model = model;
            this.tokenizer = tokenizer;
            this.classes = classes;
        }

        @Override
        public Network create() {
            MultiLayerNetwork encoder = ctx.initFrom() != null ? ctx.initFrom().network().multiLayer()
                    : TextClassifiers.freshEncoder(model, tokenizer.size(), ctx.epochs());
            MultiLayerNetwork net = TextClassifiers.fromLanguageModel(encoder, model, classes, ctx.epochs());
            unfrozen = net.getLayerWiseConfigurations().clone();
            encoderLayers = TextClassifiers.encoderLayers(net);
            LOG.info("text classifier from {}: {} encoder layers, pooling {}, fine-tuning {} (frozen encoder layers per epoch: {})",
                    ctx.initFrom() == null ? "scratch" : ctx.initFromRef(), encoderLayers, model.pooling(), model.finetune(),
                    model.frozenLayersPerEpoch(encoderLayers, ctx.epochs()));
            return Network.of(net);
        }

        @Override
        public Network beforeEpoch(int epoch, Network net) {
            int frozen = model.frozenLayers(epoch, encoderLayers);
            if (ctx.initFrom() == null || frozen == TextClassifiers.frozenLayers(net.multiLayer())) {
                return net;
            }
            LOG.info("epoch {}: {} of {} encoder layers frozen", epoch + 1, frozen, encoderLayers);
            return Network.of(TextClassifiers.withFrozen(unfrozen, net.multiLayer(), frozen));
        }

        /** Saved without frozen wrappers: the same network, whatever stage training ended in. */
        @Override
        public Network forBundle(Network trained) {
            return Network.of(TextClassifiers.withFrozen(unfrozen, trained.multiLayer(), 0));
        }

        @Override
        public Map<String, Object> provenance() {
            Map<String, Object> p = ctx.data().textProvenance("max_len");
            p.put("pooling", model.pooling());
            p.put("init_from", ctx.initFromRef());
            p.put("finetune", ctx.initFrom() == null ? "scratch" : model.finetune());
            return p;
        }
    }
}
