package dev.nightjar.data.text;

import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.config.OptionOverride;
import dev.nightjar.config.Schema;
import dev.nightjar.data.Splits;
import dev.nightjar.data.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** k-fold splits of a classification dataset: the rule ({@link FoldSplit}) alone, then through the whole prep. */
class ClassificationFoldsTest {
    private static final int K = 5;
    private static final double VAL = 0.1;
    private static final String[] WORDS = {"good", "bad", "film", "plot", "actor", "dull", "great", "long", "short", "music", "scene", "end"};

    @Test
    void theRuleDealsEveryRankIntoTestOnceAndValidationInProportion() {
        for (int k = 2; k <= 7; k++) {
            for (int n = 1; n <= 60; n++) {
                double val = Math.min(0.3, 1 - 1.0 / k - 0.01);
                int[] inTest = new int[n];
                for (int fold = 0; fold < k; fold++) {
                    int test = 0;
                    int validation = 0;
                    for (int r = 0; r < n; r++) {
                        String split = FoldSplit.of(r, n, k, fold, val);
                        test += split.equals(Splits.TEST) ? 1 : 0;
                        validation += split.equals(Splits.VALIDATION) ? 1 : 0;
                        inTest[r] += split.equals(Splits.TEST) ? 1 : 0;
                    }
                    String where = "k=" + k + " n=" + n + " fold=" + fold;
                    // the ranks r < n with r % k == fold
                    assertEquals(fold < n ? (n - 1 - fold) / k + 1 : 0, test, where);
                    assertEquals(Math.min(n - test, Math.round(val * n)), validation, where);
                }
                for (int r = 0; r < n; r++) {
                    assertEquals(1, inTest[r], "k=" + k + " n=" + n + " rank " + r);
                }
            }
        }
        // 4000 documents, k=5, val 0.1: 800 test, 400 validation, 2800 train, and validation evenly spread
        int[] counts = new int[3];
        int lastValidation = -1;
        int widestGap = 0;
        for (int r = 0; r < 4000; r++) {
            String split = FoldSplit.of(r, 4000, 5, 2, 0.1);
            counts[split.equals(Splits.TEST) ? 0 : split.equals(Splits.VALIDATION) ? 1 : 2]++;
            if (split.equals(Splits.VALIDATION)) {
                widestGap = Math.max(widestGap, r - lastValidation);
                lastValidation = r;
            }
        }
        assertEquals(800, counts[0]);
        assertEquals(400, counts[1]);
        assertEquals(2800, counts[2]);
        assertTrue(widestGap <= 11, "one validation document in about every 10 ranks, got a gap of " + widestGap);
        assertThrows(IllegalArgumentException.class, () -> new FoldSplit(5, 5, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new FoldSplit(5, 0, 0.8));
        assertThrows(IllegalArgumentException.class, () -> new FoldSplit(1, 0, 0.1));
    }

    /** 150 pos and 50 neg documents, all different; 3 neg documents appear twice more (duplicates). */
    private static Path corpus(Path dir) throws Exception {
        Random random = new Random(7);
        Set<String> seen = new LinkedHashSet<>();
        List<String> rows = new ArrayList<>(List.of("text,label"));
        for (String label : List.of("pos", "neg")) {
            int want = label.equals("pos") ? 150 : 50;
            for (int made = 0; made < want; ) {
                StringBuilder b = new StringBuilder(label.equals("pos") ? "nice" : "awful");
                for (int w = 0, len = 4 + random.nextInt(8); w < len; w++) {
                    b.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
                }
                if (seen.add(b.toString())) {
                    rows.add(b + "," + label);
                    made++;
                }
            }
        }
        List<String> negs = rows.stream().filter(r -> r.endsWith(",neg")).toList();
        rows.addAll(negs.subList(0, 3));
        Path csv = dir.resolve("labelled.csv");
        Files.write(csv, rows);
        return csv;
    }

    private static ClassificationPrep.Options options(Path csv, Path out, int folds, int fold, double valFraction) {
        // test-fraction 0.3 is ignored with folds
        return new ClassificationPrep.Options(new TextInput("csv", "text", List.of(csv.toString())), "label", null, out.toString(),
                "word", null, 16, 8, valFraction, 0.3, 42, 1, 1000, false, folds, fold, false);
    }

    /** The split of every document text in the dataset's docs/ (a duplicated text must have one split). */
    private static Map<String, String> splits(Path out, Map<String, String> labelOf) {
        SparkSession spark = SparkSession.builder().sparkContext(TestSpark.get().sc()).getOrCreate();
        Map<String, String> split = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve(ClassificationPrep.DOCS_DIR).toString()).select("split", "label", "text").collectAsList()) {
            String before = split.put(r.getString(2), r.getString(0));
            assertTrue(before == null || before.equals(r.getString(0)), "duplicates share a split: " + r);
            labelOf.put(r.getString(2), r.getString(1));
        }
        return split;
    }

    /**
     * The fold splits are persisted, and Spark keeps a cached plan's shuffle partitions (200 by default) instead
     * of letting adaptive execution coalesce them: 10 s a prep on local[2] instead of 2 s. This test, which preps
     * six times, asks for 4 and puts the setting back.
     */
    @Test
    void fiveFoldsPutEveryDocumentInTestOnceAndKeepEachLabelsShare(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkSession.builder().sparkContext(TestSpark.get().sc()).getOrCreate();
        String partitions = spark.conf().get("spark.sql.shuffle.partitions");
        spark.conf().set("spark.sql.shuffle.partitions", "4");
        try {
            checkFiveFolds(tmp);
        } finally {
            spark.conf().set("spark.sql.shuffle.partitions", partitions);
        }
    }

    private static void checkFiveFolds(Path tmp) throws Exception {
        Path csv = corpus(tmp);
        Map<String, String> labelOf = new HashMap<>();
        List<Map<String, String>> folds = new ArrayList<>();
        for (int fold = 0; fold < K; fold++) {
            Path out = tmp.resolve("fold" + fold);
            ClassificationPrep.Result r = new ClassificationPrep(TestSpark.get()).run(options(csv, out, K, fold, VAL));
            assertEquals(203, r.report().documents().kept());
            assertEquals(K, r.manifest().prepConfig().get("folds"));
            assertEquals(fold, r.manifest().prepConfig().get("fold"));
            assertNull(r.manifest().prepConfig().get("test_fraction"), "ignored with folds, so not recorded");
            folds.add(splits(out, labelOf));
        }
        Map<String, Integer> perLabel = new TreeMap<>();
        labelOf.values().forEach(l -> perLabel.merge(l, 1, Integer::sum));
        assertEquals(Map.of("neg", 50, "pos", 150), perLabel, "distinct texts per label");

        Map<String, Integer> timesInTest = new HashMap<>();
        for (int fold = 0; fold < K; fold++) {
            Map<String, String> split = folds.get(fold);
            assertEquals(labelOf.keySet(), split.keySet(), "fold " + fold + ": every document has one split");
            for (String label : perLabel.keySet()) {
                int n = perLabel.get(label);
                long test = split.entrySet().stream().filter(e -> labelOf.get(e.getKey()).equals(label) && e.getValue().equals(Splits.TEST)).count();
                long val = split.entrySet().stream().filter(e -> labelOf.get(e.getKey()).equals(label) && e.getValue().equals(Splits.VALIDATION)).count();
                assertTrue(Math.abs(test - n / (double) K) <= 1, "fold " + fold + " " + label + ": test " + test + " of " + n);
                assertTrue(Math.abs(val - VAL * n) <= 1, "fold " + fold + " " + label + ": validation " + val + " of " + n);
            }
            split.forEach((text, s) -> {
                if (s.equals(Splits.TEST)) {
                    timesInTest.merge(text, 1, Integer::sum);
                }
            });
        }
        assertEquals(labelOf.keySet(), timesInTest.keySet(), "every document is in test in some fold");
        assertTrue(timesInTest.values().stream().allMatch(t -> t == 1), "and in only one: " + timesInTest);

        // the same fold again: the same assignment
        Path again = tmp.resolve("fold2-again");
        new ClassificationPrep(TestSpark.get()).run(options(csv, again, K, 2, VAL));
        assertEquals(folds.get(2), splits(again, new HashMap<>()));
    }

    @Test
    void badFoldOptionsAreUserErrorsNamingTheOption(@TempDir Path tmp) {
        Path csv = tmp.resolve("none.csv");
        Path out = tmp.resolve("out");
        ClassificationPrep prep = new ClassificationPrep(TestSpark.get());
        assertEquals("--fold (prepare.classification.fold) must be in [0, 4] with --folds 5, got 5",
                assertThrows(UserException.class, () -> prep.run(options(csv, out, 5, 5, VAL))).getMessage());
        assertTrue(assertThrows(UserException.class, () -> prep.run(options(csv, out, 4, 0, 0.75))).getMessage()
                .startsWith("--val-fraction must be >= 0 and below 1 - 1/folds = 0.75 with --folds 4"));
        assertEquals("--fold (prepare.classification.fold) 3 needs --folds (prepare.classification.folds) >= 2",
                assertThrows(UserException.class, () -> prep.run(options(csv, out, 0, 3, VAL))).getMessage());

        Schema schema = Schema.of(Configs.SECTION, TextPrepConfig.SECTION, ClassificationPrepConfig.SECTION);
        assertEquals("--folds must be 0 (off) or an integer in [2, 1000], got 1",
                assertThrows(UserException.class, () -> OptionOverride.apply(schema.resolve(),
                        new OptionOverride<>(ClassificationPrepConfig.FOLDS, "--folds", 1))).getMessage());
        ClassificationPrep.Options o = ClassificationPrepConfig.from(OptionOverride.apply(schema.resolve(),
                        new OptionOverride<>(ClassificationPrepConfig.FOLDS, "--folds", 10), new OptionOverride<>(ClassificationPrepConfig.FOLD, "--fold", 9)))
                .options(new TextInput("csv", "text", List.of("a.csv")), "label", null, "out", null, false);
        assertEquals(10, o.folds());
        assertEquals(9, o.fold());
        ClassificationPrepConfig defaults = ClassificationPrepConfig.from(schema.resolve());
        assertEquals(0, defaults.folds(), "off by default");
        assertEquals(0, defaults.fold());
    }
}
