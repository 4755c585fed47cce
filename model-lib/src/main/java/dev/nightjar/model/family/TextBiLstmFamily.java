package dev.nightjar.model.family;

import dev.nightjar.config.Section;
import dev.nightjar.model.Network;
import dev.nightjar.model.Optimizer;
import dev.nightjar.model.TextBiLstmConfig;
import dev.nightjar.model.TextBiLstms;
import dev.nightjar.text.Tokenizer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;
import java.util.Map;

/**
 * A word-level BiLSTM classifier on classification datasets, a {@link ComputationGraph}:
 * {@code model.text-bilstm.*}. Its states are mean- and max-pooled over the unmasked steps. Like the
 * text CNN, {@code --init-from} word vectors ({@code prepare vectors}), a language model or a text
 * classifier with the dataset's tokenizer starts from its embedding table, fine-tuned or fixed
 * ({@code model.text-bilstm.freeze-embedding}).
 */
public final class TextBiLstmFamily extends BaseFamily {
    public static final String NAME = "text-bilstm";

    public TextBiLstmFamily() {
        super(NAME, DatasetKind.CLASSIFICATION, MetricsKind.CLASSIFIER,
                "word-level BiLSTM, both directions mean- and max-pooled over time (model.text-bilstm.*), a ComputationGraph");
    }

    @Override
    public List<Section> sections() {
        return List.of(Optimizer.SECTION, TextBiLstmConfig.SECTION);
    }

    @Override
    public TrainingSetup setup(SetupContext ctx) {
        TextBiLstmConfig model = TextBiLstmConfig.from(ctx.config());
        Tokenizer tokenizer = ctx.data().requireTokenizer();
        int classes = ctx.data().requireLabels().size();
        EmbeddingWarmStart.Rows embedding = EmbeddingWarmStart.table(ctx, tokenizer, TextBiLstmConfig.EMBEDDING_SIZE, model.embeddingSize());
        return new TrainingSetup() {
            @Override
            public Network create() {
                ComputationGraph net = TextBiLstms.create(model, tokenizer.size(), classes, ctx.epochs());
                EmbeddingWarmStart.copy(embedding, net, TextBiLstms.EMBEDDING);
                return Network.of(net);
            }

            @Override
            public Map<String, Object> provenance() {
                Map<String, Object> p = ctx.data().textProvenance("max_len");
                p.put("lstm_size", model.lstmSize());
                p.put("init_from", ctx.initFromRef());
                p.put("init_from_embedding", embedding == null ? null : embedding.provenance());
                return p;
            }
        };
    }
}
