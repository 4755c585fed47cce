package dev.nightjar.data.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.TestSpark;
import dev.nightjar.data.shard.RecordRef;
import dev.nightjar.text.Segmenter;
import dev.nightjar.text.TextCleaner;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.util.Json;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Byte-level BPE through data prep: the distributed piece count, the learned tokenizer, and shards that decode back. */
class BpePrepTest {
    private static final String[] WORDS = {"the", "cat", "sat", "on", "mat", "naïve", "café", "東京", "😀", "don't", "42", "!!",
            "Straße", "über", "rain", "again", "ﬁne"};

    /** Lines of words drawn with a skewed (Zipf-like) frequency, so that piece counts differ. */
    private static List<String> corpus(int lines, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            StringBuilder b = new StringBuilder();
            for (int w = 3 + r.nextInt(12); w > 0; w--) {
                int k = (int) Math.min(WORDS.length - 1, Math.floor(-Math.log(1 - r.nextDouble()) * 4));
                b.append(w % 5 == 0 ? "  " : " ").append(WORDS[k]);
            }
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void theDistributedCountLearnsWhatAPlainCountLearns() {
        List<String> lines = corpus(600, 1);
        List<RawDoc> docs = lines.stream().map(l -> RawDoc.ofBytes(l.getBytes(StandardCharsets.UTF_8))).toList();
        DocumentReader reader = new DocumentReader(5, 0.2, 0.1);
        JavaRDD<RawDoc> rdd = TestSpark.get().parallelize(docs, 3);

        // in memory: the train documents, cleaned, cut into pieces, counted
        Map<String, Long> plain = new HashMap<>();
        for (RawDoc d : docs) {
            if (reader.split(d).equals(Splits.TRAIN)) {
                Segmenter.BPE.segment(TextCleaner.clean(new String(d.bytes, StandardCharsets.UTF_8)), p -> plain.merge(p, 1L, Long::sum));
            }
        }
        assertEquals(plain, rdd.mapPartitionsToPair(new CountTokens(Segmenter.BPE, reader)).reduceByKey(Long::sum).collectAsMap());

        // at most 12 pieces reach the driver: the most frequent, ties by piece
        int cap = 12;
        Map<String, Long> top = plain.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(cap).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        TextPrep.Built built = TextPrep.buildTokenizer(rdd, reader, new TextPrep.TokenizerSpec("bpe", 2, 0, 300, cap), "test corpus");
        assertEquals(Tokenizer.trainBpe(top, 300, 2), built.tokenizer());
        TextPrep.BpeTraining t = built.training();
        assertEquals(plain.size(), t.piecesDistinct());
        assertEquals(cap, t.piecesKept());
        assertEquals(plain.values().stream().mapToLong(Long::longValue).sum(), t.occurrences());
        assertEquals(top.values().stream().mapToLong(Long::longValue).sum(), t.occurrencesKept());
        assertEquals(built.tokenizer().size(), t.vocabSize());
        assertEquals(built.tokenizer().merges().size(), t.merges());
        assertTrue(t.merges() > 10, "merges learned: " + t.merges());
    }

    @Test
    void anLmDatasetsShardsDecodeBackToTheCleanedText(@TempDir Path tmp) throws Exception {
        List<String> lines = corpus(400, 2);
        Path in = tmp.resolve("corpus.txt");
        Files.write(in, lines);
        Path out = tmp.resolve("ds");
        int seq = 16;
        TextPrep.Result r = new TextPrep(TestSpark.get()).run(new TextPrep.Options(List.of(new TextInput("lines", null, List.of(in.toString()))),
                out.toString(), "bpe", null, seq, 1, 0, 0, 42, 2, 1000, false, 330, 100_000));
        Tokenizer tok = r.tokenizer();
        assertEquals("bpe", r.manifest().text().tokenizer());
        assertEquals(tok, Tokenizer.load(out));
        assertTrue(tok.size() > 280 && tok.size() <= 330, "vocabulary " + tok.size());
        JsonNode report = Json.MAPPER.readTree(out.resolve(TextPrep.REPORT_FILE).toFile());
        assertEquals(tok.merges().size(), report.at("/tokenizer_training/merges").asInt());
        assertEquals(330, Json.MAPPER.readTree(out.resolve(Manifest.FILE).toFile()).at("/prep_config/vocab_size").asInt());

        // every document, cleaned, followed by its end marker (a line break when decoded)
        String cleaned = lines.stream().map(TextCleaner::clean).filter(s -> !s.isEmpty()).map(s -> s + "\n").collect(Collectors.joining());
        // one sequence a record (batch 1): a shard's records in order are its partition's stream, each sequence
        // sharing its first token with the one before
        Map<String, List<Integer>> streams = new LinkedHashMap<>();
        LmRecordLoader loader = new LmRecordLoader(tok.size(), false, 1);
        for (String path : r.manifest().recordPaths(out.toUri().toString(), Splits.TRAIN)) {
            DataSet ds = loader.load(path);
            List<Integer> stream = streams.computeIfAbsent(RecordRef.parse(path).shard(), s -> new ArrayList<>());
            if (stream.isEmpty()) {
                stream.add(ds.getFeatures().getInt(0, 0, 0));
            }
            for (int t = 0; t < seq; t++) {
                stream.add(ds.getLabels().getInt(0, 0, t));
            }
        }
        long decodedChars = 0;
        for (List<Integer> stream : streams.values()) {
            String text = tok.decode(stream.stream().mapToInt(Integer::intValue).toArray());
            assertTrue(text.length() > 100 && cleaned.contains(text), "a partition's stream decodes to the cleaned text: " + text);
            assertTrue(cleaned.startsWith(text) || cleaned.contains("\n" + text), "it starts at a document: " + text);
            decodedChars += text.length();
        }
        // only each partition's tail, shorter than a sequence, is left out
        assertTrue(decodedChars > cleaned.length() - 20L * seq * streams.size(), decodedChars + " of " + cleaned.length());
    }

    @Test
    void aClassificationDatasetLearnsBpeAndReusesItAsItIs(@TempDir Path tmp) throws Exception {
        List<String> rows = new ArrayList<>(List.of("text,label"));
        List<String> lines = corpus(200, 3);
        for (int i = 0; i < lines.size(); i++) {
            rows.add("\"" + lines.get(i) + "\"," + (i % 2 == 0 ? "pos" : "neg"));
        }
        Path csv = Files.write(tmp.resolve("l.csv"), rows);
        TextInput input = new TextInput("csv", "text", List.of(csv.toString()));
        ClassificationPrep.Result first = new ClassificationPrep(TestSpark.get()).run(new ClassificationPrep.Options(input, "label", null,
                tmp.resolve("a").toString(), "bpe", null, 64, 8, 0.1, 0.1, 42, 2, 1000, false, 0, 0, false, 300, 100_000));
        assertEquals("bpe", first.manifest().text().tokenizer());
        assertNotNull(first.report().tokenizerTraining());
        assertEquals(first.tokenizer().size(), first.report().tokenizerTraining().vocabSize());

        // --tokenizer-from with --extend-vocabulary: a bpe tokenizer knows every text, so it is reused as it is
        ClassificationPrep.Result again = new ClassificationPrep(TestSpark.get()).run(new ClassificationPrep.Options(input, "label", null,
                tmp.resolve("b").toString(), "char", tmp.resolve("a").toString(), 64, 8, 0.1, 0.1, 42, 2, 1000, false, 0, 0, true));
        assertEquals(first.tokenizer(), again.tokenizer());
        assertNull(again.report().tokenizerTraining());
        assertEquals(first.report().splits(), again.report().splits(), "the same documents, ids and truncations");
    }
}
