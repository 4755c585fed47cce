package dev.nightjar.model.family;

import dev.nightjar.UserException;
import dev.nightjar.config.Section;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Network;
import dev.nightjar.model.Optimizer;
import dev.nightjar.model.TransformerConfig;
import dev.nightjar.model.Transformers;
import dev.nightjar.text.NextTokens;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.text.WindowNextTokens;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * GPT-style causal Transformer language models on lm datasets ({@code model.transformer.*}): the records, loss,
 * {@code evaluate} and bits per character of the LSTM language model; generation re-reads a sliding window.
 * {@code --init-from} continues a Transformer of the same tokenizer and shape, updater state included.
 */
public final class TransformerLmFamily extends BaseFamily {
    public static final String NAME = "transformer-lm";

    public TransformerLmFamily() {
        super(NAME, DatasetKind.LANGUAGE_MODEL, MetricsKind.LANGUAGE_MODEL,
                "GPT-style causal Transformer language model (model.transformer.*), a MultiLayerNetwork");
    }

    @Override
    public List<Section> sections() {
        return List.of(Optimizer.SECTION, TransformerConfig.SECTION);
    }

    @Override
    public InputEncoding input(Network net) {
        return InputEncoding.of(dataset());
    }

    @Override
    public NextTokens nextTokens(Network net, Tokenizer tokenizer) {
        return new WindowNextTokens(net.multiLayer(), Transformers.context(net.multiLayer()));
    }

    @Override
    public TrainingSetup setup(SetupContext ctx) {
        TransformerConfig model = TransformerConfig.from(ctx.config());
        Tokenizer tokenizer = ctx.data().requireTokenizer();
        int seqLen = ctx.data().seqLen();
        int context = model.contextFor(seqLen);
        return new TrainingSetup() {
            @Override
            public Network create() {
                Network net = Network.of(Transformers.create(model, tokenizer.size(), context));
                if (ctx.initFrom() != null) {
                    continueFrom(net, ctx.initFrom(), ctx.initFromRef(), tokenizer);
                }
                return net;
            }

            @Override
            public long unitsPerExample() {
                return seqLen;
            }

            @Override
            public int stepsPerScore() {
                return seqLen;
            }

            @Override
            public Map<String, Object> provenance() {
                Map<String, Object> p = ctx.data().textProvenance("seq_len");
                p.put("context", context);
                p.put("layers", model.layers());
                p.put("heads", model.heads());
                p.put("width", model.width());
                p.put("init_from", ctx.initFromRef());
                return p;
            }
        };
    }

    /** The weights continue, and so does the updater's state; the schedule is this run's. */
    private static void continueFrom(Network net, ModelBundle from, String ref, Tokenizer tokenizer) {
        if (!NAME.equals(from.kind()) || !tokenizer.equals(from.requireTokenizer())) {
            throw new UserException("--init-from " + ref + " must be a " + NAME + " with the dataset's tokenizer "
                    + "(prepare the data with --tokenizer-from " + ref + ")");
        }
        Map<String, INDArray> mine = net.paramTable();
        Map<String, INDArray> theirs = from.network().paramTable();
        for (Map.Entry<String, INDArray> e : mine.entrySet()) {
            INDArray other = theirs.get(e.getKey());
            if (other == null || !Arrays.equals(other.shape(), e.getValue().shape()) || theirs.size() != mine.size()) {
                throw new UserException("--init-from " + ref + " has another shape than model.transformer.* gives (parameter "
                        + e.getKey() + "); set its layers, heads, width, mlp-ratio and context as it was trained");
            }
        }
        net.setParams(from.network().params().dup());
        INDArray state = net.updaterState();
        INDArray saved = from.network().updaterState();
        if (state != null && saved != null && Arrays.equals(state.shape(), saved.shape())) {
            state.assign(saved);
        }
    }
}
