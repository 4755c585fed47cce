package dev.nightjar.model.family;

import dev.nightjar.UserException;
import dev.nightjar.config.Section;
import dev.nightjar.model.LanguageModelConfig;
import dev.nightjar.model.LanguageModels;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.Network;
import dev.nightjar.model.Optimizer;
import dev.nightjar.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Character or word LSTM language models (char-rnn style) on lm datasets: {@code model.lm.*}.
 * {@code --init-from} continues a language model of the same tokenizer and shape, updater state included.
 */
public final class LanguageModelFamily extends BaseFamily {
    public static final String NAME = "language-model";

    public LanguageModelFamily() {
        super(NAME, DatasetKind.LANGUAGE_MODEL, MetricsKind.LANGUAGE_MODEL,
                "LSTM language model over characters or words (model.lm.*), a MultiLayerNetwork");
    }

    @Override
    public List<Section> sections() {
        return List.of(Optimizer.SECTION, LanguageModelConfig.SECTION);
    }

    @Override
    public InputEncoding input(Network net) {
        return new InputEncoding(dataset(), LanguageModels.oneHotInput(net.multiLayer()));
    }

    @Override
    public dev.nightjar.text.NextTokens nextTokens(Network net, Tokenizer tokenizer) {
        return new dev.nightjar.text.RecurrentNextTokens(net.multiLayer(), tokenizer.size());
    }

    @Override
    public TrainingSetup setup(SetupContext ctx) {
        LanguageModelConfig model = LanguageModelConfig.from(ctx.config());
        Tokenizer tokenizer = ctx.data().requireTokenizer();
        int seqLen = ctx.data().seqLen();
        return new TrainingSetup() {
            @Override
            public Network create() {
                Network net = Network.of(LanguageModels.create(model, tokenizer.size(), seqLen, ctx.epochs()));
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
                return LanguageModels.stepsPerTrainingScore(model, seqLen);
            }

            @Override
            public Map<String, Object> provenance() {
                Map<String, Object> p = ctx.data().textProvenance("seq_len");
                p.put("input", model.input());
                p.put("init_from", ctx.initFromRef());
                return p;
            }
        };
    }

    /**
     * The weights continue, and so does the updater's state (Adam's moments): a fresh Adam at full
     * rate knocks a trained model back; the learning rate and schedule are this run's.
     */
    private void continueFrom(Network net, ModelBundle from, String ref, Tokenizer tokenizer) {
        if (!NAME.equals(from.kind()) || !tokenizer.equals(from.requireTokenizer())) {
            throw new UserException("--init-from " + ref + " must be a language model with the dataset's tokenizer "
                    + "(prepare the data with --tokenizer-from " + ref + ")");
        }
        Map<String, INDArray> mine = net.paramTable();
        Map<String, INDArray> theirs = from.network().paramTable();
        for (Map.Entry<String, INDArray> e : mine.entrySet()) {
            INDArray other = theirs.get(e.getKey());
            if (other == null || !Arrays.equals(other.shape(), e.getValue().shape()) || theirs.size() != mine.size()) {
                throw new UserException("--init-from " + ref + " has another shape than model.lm.* gives (parameter " + e.getKey()
                        + "); set model.lm.embedding-size and lstm-sizes as the language model was trained");
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
