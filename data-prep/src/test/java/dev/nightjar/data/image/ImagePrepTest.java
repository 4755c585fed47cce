package dev.nightjar.data.image;

import dev.nightjar.UserException;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.TestSpark;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.LabelMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePrepTest {
    private static final Configuration CONF = new Configuration();

    /** Writes a gzipped IDX pair of n images (rows x cols) whose first pixel encodes the index. */
    static Path writeIdx(Path dir, int n, int rows, int cols, int classes) throws Exception {
        Path images = dir.resolve("tiny-images-idx3-ubyte.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
            out.writeInt(IdxFile.IMAGES_MAGIC);
            out.writeInt(n);
            out.writeInt(rows);
            out.writeInt(cols);
            for (int i = 0; i < n; i++) {
                byte[] px = new byte[rows * cols];
                px[0] = (byte) (i % 256);
                px[1] = (byte) (i / 256);
                px[2] = (byte) (i % classes * 40);
                out.write(px);
            }
        }
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(dir.resolve("tiny-labels-idx1-ubyte.gz"))))) {
            out.writeInt(IdxFile.LABELS_MAGIC);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(i % classes);
            }
        }
        return images;
    }

    private static ImagePrep.Options options(Path in, Path out, boolean test) {
        return new ImagePrep.Options(in.toString(), out.toString(), test, 0.2, 42, new ImageShape(1, 12, 10), 16, 100, null, false);
    }

    @Test
    void idxPrepKeepsEveryImageOnceWithItsLabelAndSplitsStably(@TempDir Path tmp) throws Exception {
        Path images = writeIdx(tmp, 700, 9, 11, 3);
        Files.writeString(tmp.resolve("labels.txt"), "red\ngreen\nblue\n");
        Path out = tmp.resolve("ds");
        ImagePrep.Result r = new ImagePrep(TestSpark.get()).run(options(images, out, false));
        Manifest m = Manifest.read(out.toString(), CONF);

        assertEquals(new ImageShape(1, 9, 11), m.shape());
        assertEquals(List.of("red", "green", "blue"), Manifest.labels(out.toString(), CONF).labels());
        assertEquals(700, m.examples(Splits.TRAIN) + m.examples(Splits.VALIDATION));
        double val = m.examples(Splits.VALIDATION) / 700.0;
        assertTrue(val > 0.14 && val < 0.26, "validation share near 0.2: " + val);
        assertEquals(700, r.report().kept());
        assertEquals(0, r.report().dropped());

        Set<Integer> seen = new HashSet<>();
        ImageRecordLoader loader = new ImageRecordLoader(3, Augmentation.OFF, 1, 0, 1);
        String dir = HadoopPath.of(out);
        for (String split : List.of(Splits.TRAIN, Splits.VALIDATION)) {
            for (String p : m.recordPaths(dir, split)) {
                DataSet ds = loader.load(p);
                assertTrue(ds.numExamples() <= 16);
                for (int i = 0; i < ds.numExamples(); i++) {
                    int index = Math.round(ds.getFeatures().getFloat(i, 0, 0, 0) * 255) + 256 * Math.round(ds.getFeatures().getFloat(i, 0, 0, 1) * 255);
                    int label = ds.getLabels().getRow(i).argMax().getInt(0);
                    assertEquals(index % 3, label, "label travels with its image");
                    assertTrue(seen.add(index), "image " + index + " appears once");
                }
            }
        }
        assertEquals(700, seen.size());

        // the same input and seed give the same shards
        Path again = tmp.resolve("ds2");
        new ImagePrep(TestSpark.get()).run(options(images, again, false));
        assertEquals(m.contentHash(), Manifest.read(again.toString(), CONF).contentHash());

        // an existing output is kept unless --overwrite
        UserException e = assertThrows(UserException.class, () -> new ImagePrep(TestSpark.get()).run(options(images, out, false)));
        assertTrue(e.getMessage().contains("already exists"));
    }

    /**
     * A gzipped IDX input of several slices is inflated once beside the output (a slice of a gzip stream would
     * inflate everything before it: quadratic in the file), and the dataset is the one the gzipped file names:
     * every image once with its label, the same shards on a rerun, nothing left beside the output.
     */
    @Test
    void aGzippedIdxOfSeveralSlicesIsInflatedOnceAndLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        Path images = writeIdx(tmp, 12_345, 8, 8, 3);
        Path out = tmp.resolve("ds");
        ImagePrep.Result r = new ImagePrep(TestSpark.get()).run(options(images, out, false));
        assertEquals(12_345, r.report().kept());
        Manifest m = Manifest.read(out.toString(), CONF);
        Set<Integer> seen = new HashSet<>();
        ImageRecordLoader loader = new ImageRecordLoader(3, Augmentation.OFF, 1, 0, 1);
        for (String split : List.of(Splits.TRAIN, Splits.VALIDATION)) {
            for (String p : m.recordPaths(HadoopPath.of(out), split)) {
                DataSet ds = loader.load(p);
                for (int i = 0; i < ds.numExamples(); i++) {
                    int index = Math.round(ds.getFeatures().getFloat(i, 0, 0, 0) * 255) + 256 * Math.round(ds.getFeatures().getFloat(i, 0, 0, 1) * 255);
                    assertEquals(index % 3, ds.getLabels().getRow(i).argMax().getInt(0), "label travels with its image");
                    assertTrue(seen.add(index), "image " + index + " appears once");
                }
            }
        }
        assertEquals(12_345, seen.size());
        Path again = tmp.resolve("ds2");
        new ImagePrep(TestSpark.get()).run(options(images, again, false));
        assertEquals(m.contentHash(), Manifest.read(again.toString(), CONF).contentHash(), "the inflated copy's name does not change the shards");
        try (var left = Files.list(tmp)) {
            List<String> names = left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
            assertEquals(List.of(), names, "nothing left beside the output");
        }
    }

    @Test
    void splitTestPutsEverythingInTest(@TempDir Path tmp) throws Exception {
        Path images = writeIdx(tmp, 50, 8, 8, 2);
        Path out = tmp.resolve("test-ds");
        new ImagePrep(TestSpark.get()).run(options(images, out, true));
        Manifest m = Manifest.read(out.toString(), CONF);
        assertEquals(50, m.examples(Splits.TEST));
        assertEquals(0, m.examples(Splits.TRAIN));
        assertEquals(List.of("0", "1"), Manifest.labels(out.toString(), CONF).labels());
    }

    @Test
    void imageFolderSkipsCorruptAndNonImageFilesAndReportsThem(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("folder");
        int kept = 0;
        for (String cls : List.of("cats", "dogs")) {
            Files.createDirectories(in.resolve(cls));
            for (int i = 0; i < 9; i++) {
                int w = 20 + i * 7;
                BufferedImage img = new BufferedImage(w, 15 + i, cls.equals("cats") ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setSample(0, 0, 0, 200);
                ImageIO.write(img, i % 2 == 0 ? "png" : "jpg", in.resolve(cls).resolve("img" + i + (i % 2 == 0 ? ".png" : ".jpg")).toFile());
                kept++;
            }
        }
        byte[] png = Files.readAllBytes(in.resolve("cats/img0.png"));
        Files.write(in.resolve("cats/broken.png"), java.util.Arrays.copyOf(png, png.length - 20));
        Files.writeString(in.resolve("dogs/readme.txt"), "not an image");

        Path out = tmp.resolve("ds");
        ImagePrep.Result r = new ImagePrep(TestSpark.get()).run(options(in, out, true));
        assertEquals(kept, r.report().kept());
        assertEquals(2, r.report().dropped());
        Set<String> skipped = new HashSet<>();
        r.report().skipped().forEach(s -> skipped.add(Path.of(java.net.URI.create(s.file())).getFileName().toString()));
        assertEquals(Set.of("broken.png", "readme.txt"), skipped);
        String report = Files.readString(out.resolve(ImagePrep.REPORT_FILE));
        assertTrue(report.contains("broken.png") && report.contains("readme.txt"), report);

        Manifest m = Manifest.read(out.toString(), CONF);
        assertEquals(new ImageShape(1, 12, 10), m.shape());
        assertEquals(new LabelMap(List.of("cats", "dogs")), Manifest.labels(out.toString(), CONF));
        DataSet ds = new ImageRecordLoader(2, Augmentation.OFF, 1, 0, 1).load(m.recordPaths(HadoopPath.of(out), Splits.TEST).get(0));
        assertEquals(List.of(16L, 1L, 12L, 10L), java.util.Arrays.stream(ds.getFeatures().shape()).boxed().toList());
    }

    @Test
    void labelsBeyondTheNamedClassesFailNamingTheInput(@TempDir Path tmp) throws Exception {
        Path images = writeIdx(tmp, 30, 8, 8, 3);
        Files.writeString(tmp.resolve("labels.txt"), "red\ngreen\n");
        UserException e = assertThrows(UserException.class,
                () -> new ImagePrep(TestSpark.get()).run(options(images, tmp.resolve("o"), false)));
        assertTrue(e.getMessage().contains("has label 2 but only 2 label names"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("o")), "nothing is published");
    }

    @Test
    void missingInputAndEmptyFolderAreUserErrors(@TempDir Path tmp) {
        UserException e = assertThrows(UserException.class,
                () -> new ImagePrep(TestSpark.get()).run(options(tmp.resolve("nope"), tmp.resolve("o"), false)));
        assertTrue(e.getMessage().contains("nope"));
    }

    /**
     * Files Hadoop's input formats skip for their names ({@code _x.png}, {@code .y.png}) and a decompression bomb are
     * each reported as skipped with the file and the reason, and counted as read and dropped.
     */
    @Test
    void hiddenNamedAndOversizedImagesAreReportedAsSkipped(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("folder");
        for (String cls : List.of("cats", "dogs")) {
            Files.createDirectories(in.resolve(cls));
            for (int i = 0; i < 3; i++) {
                ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY), "png", in.resolve(cls).resolve("img" + i + ".png").toFile());
            }
        }
        Files.copy(in.resolve("cats/img0.png"), in.resolve("cats/_underscore.png"));
        Files.copy(in.resolve("dogs/img0.png"), in.resolve("dogs/.dotted.png"));
        Files.write(in.resolve("dogs/bomb.png"), ImageDecodingTest.onecolourPng(20_000, 20_000));

        ImagePrep.Result r = new ImagePrep(TestSpark.get()).run(options(in, tmp.resolve("ds"), true));
        assertEquals(6, r.report().kept());
        assertEquals(9, r.report().read());
        assertEquals(3, r.report().dropped());
        java.util.Map<String, String> reasons = new java.util.HashMap<>();
        r.report().skipped().forEach(s -> reasons.put(Path.of(java.net.URI.create(s.file())).getFileName().toString(), s.reason()));
        assertEquals(Set.of("_underscore.png", ".dotted.png", "bomb.png"), reasons.keySet());
        assertTrue(reasons.get("_underscore.png").startsWith("hidden file") && reasons.get(".dotted.png").startsWith("hidden file"),
                reasons.toString());
        assertTrue(reasons.get("bomb.png").startsWith("too large: 20000x20000"), reasons.toString());
        assertEquals(2L, r.report().droppedByReason().get("hidden file"));
        assertEquals(1L, r.report().droppedByReason().get("too large"));
    }

    /** Qualified form of a local path, as the jobs pass it to executors. */
    static final class HadoopPath {
        static String of(Path p) {
            return dev.nightjar.data.HadoopFiles.qualify(p.toString(), CONF);
        }
    }
}
