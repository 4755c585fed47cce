package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.score.Reading;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.config.Configs;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.testing.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pretrained word vectors carry what the labelled data never showed. Positive words lie along one
 * direction of a synthetic vector space and negative ones opposite; the classifier trains on
 * sentences made of half the words and is scored on sentences made only of the other half. A text
 * CNN started from the imported vectors (fixed) reads them; its twin with random embeddings cannot.
 */
class WordVectorsEndToEndTest {
    private static final int DIM = 8;

    @TempDir
    static Path tmp;
    static String vectors;
    static String data;
    static Path heldOut;

    private static String sentence(Random r, String sentiment, int from) {
        List<String> words = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
            words.add(sentiment + (from + r.nextInt(10)));
        }
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            words.add(r.nextInt(words.size() + 1), "filler" + r.nextInt(10));
        }
        return String.join(" ", words);
    }

    @BeforeAll
    static void prepare() throws Exception {
        Random r = new Random(5);
        StringBuilder glove = new StringBuilder();
        for (String w : List.of("good", "bad", "filler")) {
            for (int i = 0; i < 20; i++) {
                glove.append(w).append(i);
                for (int d = 0; d < DIM; d++) {
                    double centre = d == 0 ? (w.equals("good") ? 1 : w.equals("bad") ? -1 : 0) : 0;
                    glove.append(' ').append(String.format(Locale.ROOT, "%.4f", centre + 0.2 * r.nextGaussian()));
                }
                glove.append('\n');
            }
        }
        Path file = tmp.resolve("vectors.txt");
        Files.writeString(file, glove);
        vectors = tmp.resolve("vectors").toString();
        ModelBundle v = VectorsJob.run(new VectorsJob.Options(file.toString(), "glove", vectors, 0, false), SharedSpark.get().hadoopConfiguration());
        assertEquals(60, v.provenance().get("words"));

        List<String> train = new ArrayList<>(List.of("text,label"));
        List<String> test = new ArrayList<>(List.of("id,text"));
        for (int i = 0; i < 400; i++) {
            String label = i % 2 == 0 ? "pos" : "neg";
            String sentiment = label.equals("pos") ? "good" : "bad";
            train.add(sentence(r, sentiment, 0) + "," + label);
            if (i < 200) {
                test.add(label + "," + sentence(r, sentiment, 10)); // words 10-19: never in the labelled data
            }
        }
        Path csv = tmp.resolve("train.csv");
        Files.write(csv, train);
        heldOut = tmp.resolve("held-out.csv");
        Files.write(heldOut, test);
        data = tmp.resolve("data").toString();
        new ClassificationPrep(SharedSpark.get()).run(new ClassificationPrep.Options(new TextInput("csv", "text", List.of(csv.toString())),
                "label", List.of("neg", "pos"), data, "word", vectors, 16, 16, 0.1, 0.1, 42, 1, 100, false, 0, 0, false));
    }

    @Test
    void aCorpusKeepsTheVectorsOfItsWordsBeyondMaxWords() throws Exception {
        Set<String> corpusWords = new HashSet<>();
        Files.readAllLines(heldOut).stream().skip(1).forEach(l -> corpusWords.addAll(List.of(l.split(",", 2)[1].split(" "))));
        String out = tmp.resolve("vectors-corpus").toString();
        ModelBundle v = VectorsJob.run(new VectorsJob.Options(tmp.resolve("vectors.txt").toString(), "glove", out, 5,
                List.of(new TextInput("csv", "text", List.of(heldOut.toString()))), false), SharedSpark.get());
        List<String> words = v.requireTokenizer().vocab().subList(Tokenizer.SPECIALS.size(), v.requireTokenizer().size());
        List<String> expected = new ArrayList<>(List.of("good0", "good1", "good2", "good3", "good4"));
        for (String w : List.of("good", "bad", "filler")) {
            for (int i = 0; i < 20; i++) {
                if (corpusWords.contains(w + i) && !expected.contains(w + i)) {
                    expected.add(w + i);
                }
            }
        }
        assertTrue(expected.size() > 20, "the held-out sentences use words 10-19 of good and bad: " + expected);
        assertEquals(expected, words, "the first 5 words, then every corpus word the file holds, in file order");
        assertEquals(expected.stream().filter(corpusWords::contains).count(), ((Number) v.provenance().get("corpus_words_with_vectors")).longValue());
        assertEquals(corpusWords.size(), ((Number) v.provenance().get("corpus_words")).intValue());
    }

    @Test
    void extendingTheVocabularyKeepsTheVectorsIdsAndAddsTheCorpusWordsTheyLack() throws Exception {
        Path csv = tmp.resolve("meh.csv");
        List<String> rows = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < 40; i++) {
            rows.add((i % 2 == 0 ? "good1 meh" : "bad1 blah blah") + (i % 4 == 0 ? " once" + i : "") + "," + (i % 2 == 0 ? "pos" : "neg"));
        }
        Files.write(csv, rows);
        Tokenizer vocab = ModelBundle.load(Path.of(vectors)).requireTokenizer();
        Tokenizer extended = new ClassificationPrep(SharedSpark.get()).run(new ClassificationPrep.Options(new TextInput("csv", "text",
                List.of(csv.toString())), "label", List.of("neg", "pos"), tmp.resolve("extended").toString(), "char", vectors, 16, 16, 0, 0,
                42, 2, 100, false, 0, 0, true)).tokenizer();
        assertEquals("word", extended.type(), "the reused tokenizer's type, whatever --tokenizer says");
        assertEquals(vocab.vocab(), extended.vocab().subList(0, vocab.size()), "the vectors' ids are unchanged");
        assertEquals(List.of("blah", "meh"), extended.vocab().subList(vocab.size(), extended.size()),
                "train words the vectors lack, seen min-count (2) times, by frequency; each once-seen word stays unknown");
    }

    private static double heldOutAccuracy(String name, String... extra) {
        List<String> sets = new ArrayList<>(List.of("model.family=text-cnn", "model.text-cnn.embedding-size=" + DIM,
                "model.text-cnn.filters=8", "model.text-cnn.filter-widths=[1,2]", "model.text-cnn.dropout=0", "model.learning-rate=0.01",
                "train.workers=2", "train.averaging-frequency=2", "train.epochs=3"));
        sets.addAll(List.of(extra));
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(sets));
        Path run = tmp.resolve(name);
        boolean pretrained = List.of(extra).contains("model.text-cnn.freeze-embedding=true");
        TrainJob.run(new TrainJob.Options(c, data, run.toString(), false, pretrained ? vectors : null), SharedSpark.get());
        Path out = tmp.resolve(name + "-scores");
        ScoreJob.run(new ScoreJob.Options(run.resolve(TrainJob.MODEL_DIR).toString(), List.of(heldOut.toString()), "csv", "id", "text",
                null, null, out.toString(), "day", Reading.firstWindow(64), "", 3, 2.0, 1, List.of(), false), SharedSpark.get());
        SparkSession spark = SparkSession.builder().sparkContext(SharedSpark.get().sc()).getOrCreate();
        var scores = spark.read().parquet(out.resolve(ScoreJob.SCORES).toString());
        assertEquals(200, scores.count());
        return scores.filter("id = label").count() / 200.0;
    }

    @Test
    void aTextCnnOnImportedVectorsReadsWordsItNeverSawLabelled() {
        double pretrained = heldOutAccuracy("pretrained", "model.text-cnn.freeze-embedding=true");
        double random = heldOutAccuracy("random");
        org.slf4j.LoggerFactory.getLogger(WordVectorsEndToEndTest.class).info("held-out words: accuracy {} with imported vectors, {} with "
                + "random embeddings", pretrained, random);
        assertTrue(pretrained >= 0.9, "pretrained vectors, held-out words: accuracy " + pretrained);
        assertTrue(random <= 0.75, "random embeddings, held-out words: accuracy " + random);
    }
}
