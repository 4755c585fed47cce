package dev.nightjar.model.family;

import dev.nightjar.config.Section;
import dev.nightjar.model.Network;
import dev.nightjar.model.Optimizer;
import dev.nightjar.model.TextCnnConfig;
import dev.nightjar.model.TextCnns;
import dev.nightjar.text.Tokenizer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;
import java.util.Map;

/**
 * A text CNN with several filter widths (Kim 2014) on classification datasets, a
 * {@link ComputationGraph}: {@code model.text-cnn.*}. {@code --init-from} word vectors
 * ({@code prepare vectors}), a language model or a text classifier with the dataset's tokenizer
 * starts from its embedding table, fine-tuned or fixed ({@code model.text-cnn.freeze-embedding}).
 */
public final class TextCnnFamily extends BaseFamily {
    public static final String NAME = "text-cnn";

    public TextCnnFamily() {
        super(NAME, DatasetKind.CLASSIFICATION, MetricsKind.CLASSIFIER,
                "text CNN, convolutions of several widths max-pooled over time (model.text-cnn.*), a ComputationGraph");
    }

    @Override
    public List<Section> sections() {
        return List.of(Optimizer.SECTION, TextCnnConfig.SECTION);
    }

    @Override
    public TrainingSetup setup(SetupContext ctx) {
        TextCnnConfig model = TextCnnConfig.from(ctx.config());
        Tokenizer tokenizer = ctx.data().requireTokenizer();
        int classes = ctx.data().requireLabels().size();
        EmbeddingWarmStart.Rows embedding = EmbeddingWarmStart.table(ctx, tokenizer, TextCnnConfig.EMBEDDING_SIZE, model.embeddingSize());
        return new TrainingSetup() {
            @Override
            public Network create() {
                ComputationGraph net = TextCnns.create(model, tokenizer.size(), classes, ctx.epochs());
                EmbeddingWarmStart.copy(embedding, net, TextCnns.EMBEDDING);
                return Network.of(net);
            }

            @Override
            public Map<String, Object> provenance() {
                Map<String, Object> p = ctx.data().textProvenance("max_len");
                p.put("filter_widths", model.filterWidths());
                p.put("filters", model.filters());
                p.put("init_from", ctx.initFromRef());
                p.put("init_from_embedding", embedding == null ? null : embedding.provenance());
                return p;
            }
        };
    }
}
