package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

/**
 * Typed, validated config of the word-level BiLSTM classifier ({@code model.text-bilstm.*}, plus the
 * shared optimizer and L2 keys of {@code model.*}): an embedding read by one LSTM in each direction,
 * their states concatenated, mean- and max-pooled over the unmasked steps, concatenated, then softmax.
 *
 * @param optimizer       updater and learning-rate schedule
 * @param l2              L2 weight decay
 * @param embeddingSize   width of the token embedding
 * @param freezeEmbedding keep the embedding table as it starts (pretrained vectors used as they are)
 * @param lstmSize        LSTM units per direction
 * @param dropout         dropout probability on the pooled features
 * @param seed            weight-init seed
 */
public record TextBiLstmConfig(Optimizer optimizer, double l2, int embeddingSize, boolean freezeEmbedding, int lstmSize,
                               double dropout, long seed) implements java.io.Serializable {

    public static final Setting<Integer> EMBEDDING_SIZE = Setting.intIn("model.text-bilstm.embedding-size", 64, 1, 1 << 16,
            "Width of the token embedding.");
    public static final Setting<Boolean> FREEZE_EMBEDDING = Setting.bool("model.text-bilstm.freeze-embedding", false,
            "Keep the embedding table as it starts: pretrained vectors (--init-from a word-vectors bundle) are used as they are "
                    + "instead of fine-tuned.");
    public static final Setting<Integer> LSTM_SIZE = Setting.intIn("model.text-bilstm.lstm-size", 64, 1, 1 << 14,
            "LSTM units per direction; the pooled features are 4 times as wide (mean and max of both directions).");
    public static final Setting<Double> DROPOUT = Setting.doubleIn("model.text-bilstm.dropout", 0.5, 0, 0.95,
            "Dropout probability on the pooled features.");

    public static final Section SECTION = new Section("model.text-bilstm", "word-level BiLSTM classifier",
            "The word-level BiLSTM classifier (model.family = text-bilstm, classification datasets), a ComputationGraph: an "
                    + "embedding read by an LSTM in each direction, their states mean- and max-pooled over the unmasked steps, "
                    + "concatenated, then softmax. The optimizer and l2 keys of model apply too.",
            TextBiLstmConfig.class, EMBEDDING_SIZE, FREEZE_EMBEDDING, LSTM_SIZE, DROPOUT);

    public static TextBiLstmConfig from(Config c) {
        return new TextBiLstmConfig(Optimizer.from(c), Optimizer.L2.get(c), EMBEDDING_SIZE.get(c), FREEZE_EMBEDDING.get(c),
                LSTM_SIZE.get(c), DROPOUT.get(c), Configs.SEED.get(c));
    }
}
