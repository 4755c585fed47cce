package dev.nightjar.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.data.text.ClassificationPrep;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.eval.Significance;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.util.Json;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nightjar compare on a corpus whose labels can be learned for sure (positive documents use one set of
 * words, negative ones another): a small char CNN and the baseline, 3 folds, on local[2].
 */
class CompareJobTest {
    private static final List<String> GOOD = List.of("sunny", "bright", "happy", "joyful", "warm");
    private static final List<String> BAD = List.of("gloomy", "dark", "sad", "grim", "cold");
    private static final int DOCS = 300;

    @TempDir
    static Path tmp;

    private static String doc(Random r, List<String> words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = 3 + r.nextInt(6); i < n; i++) {
            b.append(i == 0 ? "" : " ").append(words.get(r.nextInt(words.size())));
        }
        return b.toString();
    }

    private static CompareJob.Options options(Path csv, Path out, int folds) throws Exception {
        Path cnn = tmp.resolve("cnn.conf");
        Files.writeString(cnn, String.join("\n",
                "model { family = text-cnn, learning-rate = 0.01, l2 = 0",
                "  text-cnn { embedding-size = 8, filters = 8, filter-widths = [2, 3], dropout = 0 } }",
                "train { epochs = 2, workers = 2, averaging-frequency = 2 }",
                "prepare.classification { max-len = 64, batch-size = 16 }", ""));
        Config c = Configs.layered(Configs.defaults(), ConfigFactory.parseString("compare { folds = " + folds + ", candidates = [\n"
                + "{ name = char-cnn, config = \"" + cnn.toString().replace("\\", "/") + "\", tokenizer = char }\n"
                + "{ name = baseline, baseline = true } ] }"));
        return new CompareJob.Options(CompareConfig.from(c, ConfigFactory.empty(), null), new TextInput("csv", "review", List.of(csv.toString())),
                "stars", List.of("neg", "pos"), out, false);
    }

    @Test
    void everyCandidateIsTrainedAndTestedOnTheSameFoldsAndEveryDocumentIsTestedOnce() throws Exception {
        Random r = new Random(11);
        List<String> lines = new ArrayList<>(List.of("review,stars"));
        for (int i = 0; i < DOCS; i++) {
            boolean good = i % 3 != 0; // 200 positive, 100 negative
            lines.add("\"" + doc(r, good ? GOOD : BAD) + " " + i + "\"," + (good ? "pos" : "neg"));
        }
        Path csv = tmp.resolve("labelled.csv");
        Files.write(csv, lines);
        Path out = tmp.resolve("compare");

        CompareResult result = CompareJob.run(options(csv, out, 3), SharedSpark.get());
        assertEquals(3, result.folds());
        assertEquals("char-cnn", result.reference());
        assertEquals(DOCS, result.documents(), "every document is tested once over the folds");
        for (String name : List.of("char-cnn", "baseline")) {
            CompareResult.Summary s = result.candidates().get(name);
            assertEquals(3, s.folds().size(), name);
            assertEquals(DOCS, s.folds().stream().mapToLong(CompareResult.Fold::documents).sum(), name);
            Significance.MeanSd m = Significance.meanSd(s.folds().stream().mapToDouble(CompareResult.Fold::accuracy).toArray());
            assertEquals(m.mean(), s.mean(), 1e-12, name);
            assertEquals(m.sd(), s.sd(), 1e-12, name);
            assertTrue(s.mean() >= 0.9, name + " mean accuracy " + s.mean());
            assertTrue(s.folds().stream().allMatch(f -> f.trainMinutes() > 0 && f.scoringDocsPerSecond() > 0), name);
        }
        assertTrue(result.candidates().get("char-cnn").meanTrainExamplesPerSecond() > 0);
        CompareResult.VsReference vs = result.candidates().get("baseline").vsReference();
        assertEquals(Significance.mcnemarExactP(vs.onlyReference(), vs.onlyThis()), vs.mcnemarP(), 1e-15, "pooled over the folds");
        assertEquals(result.candidates().get("baseline").folds().stream().mapToLong(f -> f.vsReference().onlyThis()).sum(), vs.onlyThis());
        for (int i = 0; i < 3; i++) {
            assertEquals(1, result.datasets().get(i).size(), "fold " + i + ": one dataset, the char CNN's, which the baseline reads too");
        }

        // the test splits of the three folds' datasets partition the corpus
        SparkSession spark = SparkSession.builder().sparkContext(SharedSpark.get().sc()).getOrCreate();
        Dataset<Row> tested = null;
        for (int i = 0; i < 3; i++) {
            Dataset<Row> t = spark.read().parquet(out.resolve(result.datasets().get(i).keySet().iterator().next())
                    .resolve(ClassificationPrep.DOCS_DIR).toString()).filter("split = 'test'").select("text");
            tested = tested == null ? t : tested.union(t);
        }
        assertEquals(DOCS, tested.count());
        assertEquals(DOCS, tested.distinct().count());

        JsonNode json = Json.MAPPER.readTree(out.resolve(CompareJob.RESULT_FILE).toFile());
        assertEquals(3, json.get("candidates").get("char-cnn").get("folds").size());
        assertEquals(vs.mcnemarP(), json.get("candidates").get("baseline").get("vs_reference").get("mcnemar_p").asDouble(), 1e-15);
        assertTrue(result.table().contains("char-cnn") && result.table().contains("baseline"), result.table());

        // the same output again: nothing is prepared or trained again, the test folds are read again
        long trainedAt = Files.getLastModifiedTime(out.resolve("fold-0").resolve("char-cnn").resolve(CompareJob.TRAINED_FILE)).toMillis();
        CompareResult again = CompareJob.run(options(csv, out, 3), SharedSpark.get());
        assertEquals(trainedAt, Files.getLastModifiedTime(out.resolve("fold-0").resolve("char-cnn").resolve(CompareJob.TRAINED_FILE)).toMillis());
        for (String name : List.of("char-cnn", "baseline")) {
            assertEquals(result.candidates().get(name).mean(), again.candidates().get(name).mean(), 1e-12, name);
            assertEquals(result.candidates().get(name).meanTrainMinutes(), again.candidates().get(name).meanTrainMinutes(), 1e-12, name);
        }

        // another plan there is refused before anything runs
        UserException refused = assertThrows(UserException.class, () -> CompareJob.run(options(csv, out, 2), SharedSpark.get()));
        assertTrue(refused.getMessage().contains("folds was 3, now 2") && refused.getMessage().contains("--overwrite"), refused.getMessage());
    }
}
