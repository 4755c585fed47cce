package dev.nightjar.score;

import dev.nightjar.config.Configs;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.Network;
import dev.nightjar.model.TextClassifierConfig;
import dev.nightjar.model.TextClassifiers;
import dev.nightjar.model.TextCnnConfig;
import dev.nightjar.model.TextCnns;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.text.ClassifierInput;
import dev.nightjar.text.Tokenizer;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scoring a partition's documents pooled over many batches and sorted by length across them (so short
 * documents are not padded to long ones) gives every document the probabilities it got when each batch was
 * scored alone, to 1e-5, and the rows in the same order: the same rows, rejects and scored, one per input row.
 */
class ScorePartitionTest {
    private static final List<String> WORDS = List.of("good", "bad", "film", "plot", "dull", "great", "acting", "slow", "fun", "the");

    private static Tokenizer tokenizer() {
        List<String> vocab = new ArrayList<>(Tokenizer.SPECIALS);
        vocab.addAll(WORDS);
        return new Tokenizer("word", vocab);
    }

    /** Checked rows ({@link CheckRow#SCHEMA}): documents of 1 to 40 words (many windows of 8 ids), every seventh a reject. */
    private static List<Row> rows(int n) {
        Random random = new Random(17);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 7 == 3) {
                rows.add(RowFactory.create("r" + i, null, "all", null, "empty_text", "", null, null, 1L));
                continue;
            }
            int len = random.nextInt(10) == 0 ? 20 + random.nextInt(21) : 1 + random.nextInt(12);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < len; w++) {
                text.append(w == 0 ? "" : " ").append(random.nextInt(12) == 0 ? "unknown" : WORDS.get(random.nextInt(WORDS.size())));
            }
            rows.add(RowFactory.create("d" + i, null, "all", text.toString(), null, null, null, null, 1L));
        }
        return rows;
    }

    private static List<Row> score(Network net, int poolBatches, List<Row> rows) {
        Broadcast<byte[]> model = SharedSpark.get().broadcast(net.toStoredBytes(false));
        try {
            ScorePartition p = new ScorePartition(model, tokenizer(), new LabelMap(List.of("neg", "pos")), 1, 8,
                    new Reading(16, 4, ClassifierInput.LongDocuments.WINDOWS), 1, poolBatches);
            List<Row> out = new ArrayList<>();
            p.call(rows.iterator()).forEachRemaining(out::add);
            return out;
        } finally {
            model.destroy();
        }
    }

    private static void assertSameScores(Network net) {
        List<Row> input = rows(400);
        List<Row> alone = score(net, 1, input);
        List<Row> pooled = score(net, ScorePartition.POOL_BATCHES, input);
        assertEquals(input.size(), alone.size());
        assertEquals(alone.size(), pooled.size());
        int scored = 0;
        for (int i = 0; i < alone.size(); i++) {
            Row a = alone.get(i);
            Row b = pooled.get(i);
            assertEquals(a.getString(0), b.getString(0), "row " + i + ": the same row in the same place");
            assertEquals(a.get(9), b.get(9), "row " + i + ": reject");
            if (a.isNullAt(9)) {
                scored++;
                assertEquals(a.getString(3), b.getString(3), "row " + i + ": label");
                assertEquals(a.getDouble(4), b.getDouble(4), 1e-5, "row " + i + ": confidence");
                assertEquals(a.getDouble(6), b.getDouble(6), 1e-5, "row " + i + ": positive probability");
                assertEquals(a.getInt(7), b.getInt(7), "row " + i + ": windows");
                assertEquals(a.getBoolean(8), b.getBoolean(8), "row " + i + ": truncated");
            }
        }
        assertTrue(scored > 300, scored + " scored");
        assertTrue(alone.stream().anyMatch(r -> r.isNullAt(9) && r.getInt(7) > 1), "some documents are read in several windows");
    }

    @Test
    void aWordCnnScoresTheSameWhetherBatchesArePooledOrNot() {
        TextCnnConfig cfg = TextCnnConfig.from(Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(
                "model.text-cnn.embedding-size=12", "model.text-cnn.filter-widths=[3,4,5]", "model.text-cnn.filters=6", "seed=5"))));
        assertSameScores(Network.of(TextCnns.create(cfg, Tokenizer.SPECIALS.size() + WORDS.size(), 2, 1)));
    }

    @Test
    void aCharLstmClassifierScoresTheSameWhetherBatchesArePooledOrNot() {
        TextClassifierConfig cfg = TextClassifierConfig.from(Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of(
                "model.lm.embedding-size=8", "model.lm.lstm-sizes=[16]", "model.classifier.pooling=mean", "model.classifier.dense-units=4",
                "seed=5"))));
        int vocab = Tokenizer.SPECIALS.size() + WORDS.size();
        assertSameScores(Network.of(TextClassifiers.fromLanguageModel(TextClassifiers.freshEncoder(cfg, vocab, 1), cfg, 2, 1)));
    }
}
