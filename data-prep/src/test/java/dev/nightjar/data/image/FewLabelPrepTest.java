package dev.nightjar.data.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.UserException;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.TestSpark;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.LabelMap;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code prepare images --classes --per-class}: one corpus of five classes yields a fine-tuning set of
 * three classes with exactly N train (and the stated validation) examples per class, relabelled 0..2
 * with names kept, and a disjoint pretraining set of the other two classes.
 */
class FewLabelPrepTest {
    private static final Configuration CONF = new Configuration();
    private static final List<String> NAMES = List.of("ant", "bee", "cat", "dog", "eel");

    @TempDir
    static Path tmp;
    static Path images;

    @BeforeAll
    static void corpus() throws Exception {
        images = ImagePrepTest.writeIdx(tmp, 1000, 8, 8, 5); // 200 images per class, label = index % 5
        Files.writeString(tmp.resolve("labels.txt"), String.join("\n", NAMES) + "\n");
    }

    static ImagePrep.Options options(String out, boolean test, long seed, ClassSelection s) {
        return new ImagePrep.Options(images.toString(), tmp.resolve(out).toString(), test, 0.2, seed, new ImageShape(1, 8, 8), 16, 100, null,
                false).withSelection(s);
    }

    /** image index (encoded in its first two pixels) → label, over every record of the split. */
    static Map<Integer, Integer> examples(String out, String split, int classes) throws Exception {
        String dir = ImagePrepTest.HadoopPath.of(tmp.resolve(out));
        Map<Integer, Integer> seen = new HashMap<>();
        ImageRecordLoader loader = new ImageRecordLoader(classes, Augmentation.OFF, 1, 0, 1);
        for (String p : Manifest.read(dir, CONF).recordPaths(dir, split)) {
            DataSet ds = loader.load(p);
            for (int i = 0; i < ds.numExamples(); i++) {
                int index = Math.round(ds.getFeatures().getFloat(i, 0, 0, 0) * 255) + 256 * Math.round(ds.getFeatures().getFloat(i, 0, 0, 1) * 255);
                assertEquals(null, seen.put(index, ds.getLabels().getRow(i).argMax().getInt(0)), "image " + index + " once");
            }
        }
        return seen;
    }

    static Map<Integer, Long> perClass(Map<Integer, Integer> examples) {
        Map<Integer, Long> n = new HashMap<>();
        examples.values().forEach(l -> n.merge(l, 1L, Long::sum));
        return n;
    }

    @Test
    void classesByNameOrIndexAndPerClassKeepExactCountsRelabelledAndDisjointFromTheRest() throws Exception {
        // "cat" by name, 3 by index (dog), "eel" by name; validation keeps round(20 * 0.2 / 0.8) = 5 per class
        ImagePrep.Result r = new ImagePrep(TestSpark.get()).run(options("fine", false, 42, new ClassSelection(List.of("cat", "3", "eel"), 20)));
        String fine = tmp.resolve("fine").toString();
        assertEquals(new LabelMap(List.of("cat", "dog", "eel")), Manifest.labels(fine, CONF));
        Manifest m = Manifest.read(fine, CONF);
        assertEquals(3, m.numClasses());
        assertEquals(60, m.examples(Splits.TRAIN));
        assertEquals(15, m.examples(Splits.VALIDATION));

        Map<Integer, Integer> train = examples("fine", Splits.TRAIN, 3);
        Map<Integer, Integer> val = examples("fine", Splits.VALIDATION, 3);
        assertEquals(Map.of(0, 20L, 1, 20L, 2, 20L), perClass(train));
        assertEquals(Map.of(0, 5L, 1, 5L, 2, 5L), perClass(val));
        train.forEach((index, label) -> assertEquals(index % 5 - 2, label, "image " + index + " relabelled cat 0, dog 1, eel 2"));
        val.forEach((index, label) -> assertEquals(index % 5 - 2, label));
        assertTrue(train.keySet().stream().anyMatch(i -> i >= 500), "a seeded choice over the whole class, not its first images");

        assertEquals(1000, r.report().read());
        assertEquals(75, r.report().kept());
        assertEquals(Map.of("class not selected", 400L, "over per-class limit", 525L), r.report().droppedByReason());
        assertEquals(Map.of(Splits.TRAIN, 20L, Splits.VALIDATION, 5L), r.report().keptByClass().get("dog"));
        assertTrue(r.report().skipped().isEmpty(), "left-out images are counted, not listed as skipped files");
        JsonNode report = Json.MAPPER.readTree(tmp.resolve("fine").resolve(ImagePrep.REPORT_FILE).toFile());
        assertEquals(20, report.at("/kept_by_class/eel/train").asInt(), report.toString());
        assertEquals(20, m.prepConfig().get("per_class"));
        assertEquals(List.of("cat", "dog", "eel"), m.prepConfig().get("classes"));

        // the other classes, all of them: the pretraining set shares no image with the fine-tuning set
        new ImagePrep(TestSpark.get()).run(options("pre", false, 42, new ClassSelection(List.of("ant", "bee"), 0)));
        Map<Integer, Integer> pre = examples("pre", Splits.TRAIN, 2);
        pre.putAll(examples("pre", Splits.VALIDATION, 2));
        assertEquals(400, pre.size());
        Set<Integer> overlap = new HashSet<>(pre.keySet());
        overlap.retainAll(train.keySet());
        overlap.addAll(val.keySet().stream().filter(pre::containsKey).toList());
        assertEquals(Set.of(), overlap);

        // seeded: the same seed chooses the same examples, another seed others
        new ImagePrep(TestSpark.get()).run(options("again", false, 42, new ClassSelection(List.of("cat", "dog", "eel"), 20)));
        assertEquals(m.contentHash(), Manifest.read(tmp.resolve("again").toString(), CONF).contentHash());
        new ImagePrep(TestSpark.get()).run(options("other", false, 7, new ClassSelection(List.of("cat", "dog", "eel"), 20)));
        assertNotEquals(train.keySet(), examples("other", Splits.TRAIN, 3).keySet());
    }

    @Test
    void aTestPreparationKeepsNPerClassAndAClassWithFewerKeepsAll() throws Exception {
        ImagePrep.Result r = new ImagePrep(TestSpark.get()).run(options("test", true, 42, new ClassSelection(List.of(), 150)));
        assertEquals(Map.of(0, 150L, 1, 150L, 2, 150L, 3, 150L, 4, 150L), perClass(examples("test", Splits.TEST, 5)));
        assertEquals(Map.of("over per-class limit", 250L), r.report().droppedByReason());
        ImagePrep.Result all = new ImagePrep(TestSpark.get()).run(options("test-all", true, 42, new ClassSelection(List.of(), 500)));
        assertEquals(1000, all.report().kept());
    }

    @Test
    void unknownClassesAndClassesWithAModelsLabelsAreUserErrors() {
        UserException e = assertThrows(UserException.class,
                () -> new ImagePrep(TestSpark.get()).run(options("bad", false, 42, new ClassSelection(List.of("cat", "fox"), 0))));
        assertTrue(e.getMessage().contains("'fox' is neither a class name nor an index in [0, 5)"), e.getMessage());
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        UserException one = assertThrows(UserException.class,
                () -> new ImagePrep(TestSpark.get()).run(options("one", false, 42, new ClassSelection(List.of("cat", "2"), 0))));
        assertTrue(one.getMessage().contains("at least 2 classes"), one.getMessage());
        UserException both = assertThrows(UserException.class, () -> new ImagePrep.Options("in", "out", false, 0.1, 1,
                new ImageShape(1, 8, 8), 16, 100, new LabelMap(NAMES), false, new ClassSelection(List.of("cat", "dog"), 0)));
        assertTrue(both.getMessage().contains("--classes and --labels-from"), both.getMessage());
        assertEquals(5, ClassSelection.validationCap(20, 0.2));
        assertEquals(1, ClassSelection.validationCap(2, 0.1));
        assertEquals(0, ClassSelection.validationCap(20, 0));
    }
}
