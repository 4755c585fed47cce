package dev.nightjar.model.family;

import dev.nightjar.UserException;
import dev.nightjar.config.Section;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Network;
import dev.nightjar.model.Optimizer;
import dev.nightjar.model.TransformerClassifierConfig;
import dev.nightjar.model.TransformerClassifiers;
import dev.nightjar.model.TransformerConfig;
import dev.nightjar.model.transformer.TransformerTrunk;
import dev.nightjar.text.Tokenizer;
import com.typesafe.config.Config;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Text classifiers on a Transformer language model's trunk ({@code model.transformer-classifier.*}): {@code --init-from}
 * a {@code transformer-lm} of the dataset's tokenizer fine-tunes its trunk as {@code finetune} says (head, top blocks,
 * full); without it the same network trains from scratch, shaped by {@code model.transformer.*}.
 */
public final class TransformerClassifierFamily extends BaseFamily {
    public static final String NAME = "transformer-classifier";
    private static final Logger LOG = LoggerFactory.getLogger(TransformerClassifierFamily.class);

    public TransformerClassifierFamily() {
        super(NAME, DatasetKind.CLASSIFICATION, MetricsKind.CLASSIFIER,
                "Transformer text classifier, fine-tuned from a transformer-lm's trunk (head, top blocks or full) or trained "
                        + "from scratch (model.transformer-classifier.*), a MultiLayerNetwork");
    }

    @Override
    public List<Section> sections() {
        return List.of(Optimizer.SECTION, TransformerConfig.SECTION, TransformerClassifierConfig.SECTION);
    }

    @Override
    public TrainingSetup setup(SetupContext ctx) {
        TransformerClassifierConfig model = TransformerClassifierConfig.from(ctx.config());
        Tokenizer tokenizer = ctx.data().requireTokenizer();
        int classes = ctx.data().requireLabels().size();
        double clip = TransformerConfig.GRADIENT_CLIP.get(ctx.config());
        ModelBundle lm = ctx.initFrom();
        if (lm != null && (!TransformerLmFamily.NAME.equals(lm.kind()) || !tokenizer.equals(lm.requireTokenizer()))) {
            throw new UserException("--init-from " + ctx.initFromRef() + " must be a " + TransformerLmFamily.NAME + " with the "
                    + "dataset's tokenizer (it is a " + lm.kind() + "; prepare the data with --tokenizer-from " + ctx.initFromRef() + ")");
        }
        TransformerTrunk[] trunk = new TransformerTrunk[1];
        return new TrainingSetup() {
            @Override
            public Network create() {
                MultiLayerNetwork net = lm != null
                        ? TransformerClassifiers.fromLanguageModel(lm.network().multiLayer(), model, classes, ctx.epochs(), clip)
                        : TransformerClassifiers.create(scratchTrunk(ctx.config(), tokenizer.size(), ctx.data().seqLen()), model, classes,
                        ctx.epochs(), clip);
                trunk[0] = TransformerClassifiers.trunk(net);
                long trains = 0;
                for (Map.Entry<String, INDArray> e : net.getLayer(0).paramTable().entrySet()) {
                    trains += trunk[0].trains(e.getKey()) ? e.getValue().length() : 0;
                }
                LOG.info("Transformer classifier from {}: {} blocks, context {}, pooling {}, fine-tuning {}: {} of {} trunk parameters train",
                        lm == null ? "scratch" : ctx.initFromRef(), trunk[0].layers(), trunk[0].context(), model.pooling(),
                        lm == null ? "scratch" : model.finetune(), trains, net.getLayer(0).numParams());
                return Network.of(net);
            }

            @Override
            public Map<String, Object> provenance() {
                Map<String, Object> p = ctx.data().textProvenance("max_len");
                p.put("pooling", model.pooling());
                p.put("init_from", ctx.initFromRef());
                p.put("finetune", lm == null ? "scratch" : model.finetune());
                p.put("trainable_blocks", trunk[0] == null ? null : trunk[0].trainableBlocks());
                p.put("layers", trunk[0] == null ? null : trunk[0].layers());
                p.put("context", trunk[0] == null ? null : trunk[0].context());
                return p;
            }
        };
    }

    /** A fresh trunk of model.transformer's shape; its context 0 is the dataset's maximum length. */
    static TransformerTrunk scratchTrunk(Config c, int vocab, int maxLen) {
        int width = TransformerConfig.WIDTH.get(c);
        int heads = TransformerConfig.HEADS.get(c);
        if (width % heads != 0) {
            throw new UserException("config key '" + TransformerConfig.WIDTH.key() + "' (" + width + ") must be a multiple of '"
                    + TransformerConfig.HEADS.key() + "' (" + heads + ")");
        }
        int context = TransformerConfig.CONTEXT.get(c);
        return new TransformerTrunk(vocab, width, heads, width * TransformerConfig.MLP_RATIO.get(c), TransformerConfig.LAYERS.get(c),
                context == 0 ? maxLen : context, TransformerConfig.DROPOUT.get(c));
    }
}
