package dev.nightjar.jobs;

import dev.nightjar.UserException;
import dev.nightjar.cli.NightjarCliTest;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.model.Embeddings;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.storage.Bundles;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.text.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Word vectors pretrained on a synthetic corpus where two groups of words never share a sentence ("good great
 * fine ..." and "bad awful poor ..."), with filler words in every sentence and rare words below min-count.
 */
class PretrainVectorsJobTest {
    private static final List<String> POSITIVE = List.of("good", "great", "fine", "nice", "superb", "lovely");
    private static final List<String> NEGATIVE = List.of("bad", "awful", "poor", "terrible", "dreadful", "horrid");
    private static final List<String> FILLER = List.of("the", "movie", "was", "and", "plot", ",");
    private static final int DIM = 16;
    private static final int MIN_COUNT = 3;

    @TempDir
    static Path tmp;
    static Path corpus;
    static Map<String, Long> counts = new TreeMap<>();
    static PretrainVectorsJob.Result result;
    static ModelBundle loaded;

    private static PretrainVectorsJob.Options options(String input, Path out, int maxWords, boolean overwrite) {
        PretrainVectorsConfig p = new PretrainVectorsConfig(DIM, 3, MIN_COUNT, 5, 0.05, 1, maxWords, 7);
        return p.options(new TextInput("csv", "1", List.of(input)), out.toString(), overwrite);
    }

    @BeforeAll
    static void pretrain() throws Exception {
        Random r = new Random(3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            List<String> group = i % 2 == 0 ? POSITIVE : NEGATIVE;
            List<String> words = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                words.add(group.get(r.nextInt(group.size())));
            }
            for (int k = 0; k < 3; k++) {
                words.add(FILLER.get(r.nextInt(FILLER.size())));
            }
            Collections.shuffle(words, r);
            if (i % 100 == 0) {
                words.add("rare" + i); // once each: below min-count
            }
            words.forEach(w -> counts.merge(w, 1L, Long::sum));
            String text = String.join(" ", words);
            // upper case and spacing the word tokenizer undoes
            lines.add((i % 2) + ",\"" + (i % 3 == 0 ? text.toUpperCase(java.util.Locale.ROOT) : text.replace(" ", "  ")) + "\"");
        }
        corpus = tmp.resolve("corpus.csv");
        Files.write(corpus, lines);
        Path out = tmp.resolve("vectors");
        result = PretrainVectorsJob.run(options(corpus.toString(), out, 0, false), SharedSpark.get());
        loaded = Bundles.load(out.toString(), SharedSpark.get().hadoopConfiguration());
    }

    private static double cosine(INDArray table, Tokenizer t, String a, String b) {
        INDArray x = table.getRow(t.encode(a)[0]);
        INDArray y = table.getRow(t.encode(b)[0]);
        return x.mul(y).sumNumber().doubleValue() / (x.norm2Number().doubleValue() * y.norm2Number().doubleValue());
    }

    private static double meanCosine(INDArray table, Tokenizer t, List<String> as, List<String> bs) {
        double sum = 0;
        int n = 0;
        for (String a : as) {
            for (String b : bs) {
                if (!a.equals(b)) {
                    sum += cosine(table, t, a, b);
                    n++;
                }
            }
        }
        return sum / n;
    }

    @Test
    void wordsOfOneGroupLieCloserThanWordsOfTheOther() {
        INDArray table = loaded.network().multiLayer().getLayer(0).getParam("W");
        Tokenizer t = loaded.tokenizer();
        double within = (meanCosine(table, t, POSITIVE, POSITIVE) + meanCosine(table, t, NEGATIVE, NEGATIVE)) / 2;
        double across = meanCosine(table, t, POSITIVE, NEGATIVE);
        org.slf4j.LoggerFactory.getLogger(PretrainVectorsJobTest.class).info("mean cosine: {} within a group, {} across; fit {} s, {} words/s",
                within, across, result.fitSeconds(), result.wordsPerSecond());
        assertTrue(within > across + 0.3, "within " + within + ", across " + across);
        for (String w : POSITIVE) {
            assertTrue(meanCosine(table, t, List.of(w), POSITIVE) > meanCosine(table, t, List.of(w), NEGATIVE), w);
        }
        for (String w : NEGATIVE) {
            assertTrue(meanCosine(table, t, List.of(w), NEGATIVE) > meanCosine(table, t, List.of(w), POSITIVE), w);
        }
    }

    @Test
    void theBundleIsAWordVectorsBundleOfTheFrequentWordsMostFrequentFirst() {
        List<String> expected = new ArrayList<>(Tokenizer.SPECIALS);
        counts.entrySet().stream().filter(e -> e.getValue() >= MIN_COUNT)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> expected.add(e.getKey()));
        assertEquals(4 + POSITIVE.size() + NEGATIVE.size() + FILLER.size(), expected.size());
        Tokenizer t = loaded.tokenizer();
        assertEquals("word", t.type());
        assertEquals(expected, t.vocab());
        assertArrayEquals(new int[] {Tokenizer.UNK}, t.encode("rare100"), "below min-count: unknown");
        assertArrayEquals(t.encode("good"), t.encode("GOOD"), "lower-cased like the word tokenizer");

        assertEquals(Embeddings.KIND, loaded.kind());
        INDArray table = loaded.network().multiLayer().getLayer(0).getParam("W");
        assertArrayEquals(new long[] {expected.size(), DIM}, table.shape());
        Map<String, Object> p = loaded.provenance();
        assertEquals(PretrainVectorsJob.SOURCE, p.get("source"));
        assertTrue(p.get("corpus").toString().contains(corpus.toString()), p.toString());
        assertEquals(expected.size() - 4, ((Number) p.get("vocabulary")).intValue());
        assertEquals(expected.size() - 4, ((Number) p.get("words")).intValue());
        assertEquals(DIM, ((Number) p.get("dim")).intValue());
        assertEquals(counts.values().stream().mapToLong(Long::longValue).sum(), ((Number) p.get("corpus_words")).longValue());
        Map<?, ?> params = (Map<?, ?>) p.get("parameters");
        assertEquals(DIM, ((Number) params.get("vector_size")).intValue());
        assertEquals(MIN_COUNT, ((Number) params.get("min_count")).intValue());
        assertEquals(7, ((Number) params.get("seed")).intValue());
    }

    @Test
    void maxWordsKeepsTheMostFrequent() {
        Path out = tmp.resolve("top5");
        PretrainVectorsJob.Options o = options(corpus.toString(), out, 5, false);
        o = new PretrainVectorsJob.Options(o.input(), o.output(), new PretrainVectorsConfig(4, 2, MIN_COUNT, 1, 0.025, 2, 5, 1), false);
        ModelBundle b = PretrainVectorsJob.run(o, SharedSpark.get()).bundle();
        assertEquals(loaded.tokenizer().vocab().subList(0, 4 + 5), b.tokenizer().vocab());
        assertEquals(2, ((Number) ((Map<?, ?>) b.provenance().get("parameters")).get("num_partitions")).intValue());
    }

    @Test
    void aMissingInputIsAUserErrorNamingThePath() {
        String missing = tmp.resolve("no-such-corpus.csv").toString();
        UserException e = assertThrows(UserException.class,
                () -> PretrainVectorsJob.run(options(missing, tmp.resolve("never"), 0, false), SharedSpark.get()));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("never")));
    }

    @Test
    void anExistingOutputIsKeptWithoutOverwrite() throws Exception {
        Path out = tmp.resolve("taken");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        UserException e = assertThrows(UserException.class, () -> PretrainVectorsJob.run(options(corpus.toString(), out, 0, false), SharedSpark.get()));
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void theCommandLineChecksBeforeSparkStarts() {
        NightjarCliTest.Run missing = NightjarCliTest.run("pretrain", "vectors", "--input", tmp.resolve("absent").toString(), "--format", "lines",
                "--output", tmp.resolve("cli").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("input not found: " + tmp.resolve("absent")), missing.err());
        NightjarCliTest.Run bad = NightjarCliTest.run("pretrain", "vectors", "--input", corpus.toString(), "--format", "csv", "--text-col", "1",
                "--output", tmp.resolve("cli").toString(), "--vector-size", "0");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--vector-size must be in [1, 4096], got 0"), bad.err());
    }
}
