package dev.nightjar.data.text;

import dev.nightjar.UserException;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.TestSpark;
import dev.nightjar.text.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextPrepTest {
    private static final int SEQ = 20;
    private static final int BIG_WORDS = 600_000;

    private static TextPrep.Options options(List<String> in, String format, String col, Path out, String tokenizerFrom) {
        return new TextPrep.Options(List.of(new TextInput(format, col, in)), out.toString(), "char", tokenizerFrom, SEQ, 4, 0, 0, 42, 1, 1000, false);
    }

    private static List<TextInput> lines(String path) {
        return List.of(new TextInput("lines", null, List.of(path)));
    }

    /** Six CRLF lines: a NUL, an empty line, an invalid byte, only whitespace, one line of 3 MB, a ligature. */
    private static Path messyLines(Path dir) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("ab\u0000c\r\n\r\nx".getBytes(StandardCharsets.UTF_8));
        b.write(0xFF);
        b.write("y\r\n  \t \r\n".getBytes(StandardCharsets.UTF_8));
        b.write("abcd ".repeat(BIG_WORDS).getBytes(StandardCharsets.UTF_8));
        b.write("\r\n\uFB01\r\n".getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("messy.txt");
        Files.write(f, b.toByteArray());
        return f;
    }

    @Test
    void messyInputIsCleanedAndCountedExactly(@TempDir Path tmp) throws Exception {
        Path in = messyLines(tmp);
        Path out = tmp.resolve("ds");
        TextPrep.Result r = new TextPrep(TestSpark.get()).run(options(List.of(in.toString()), "lines", null, out, null));
        TextPrepReport rep = r.report();

        assertEquals(6, rep.documents().read());
        assertEquals(4, rep.documents().kept());
        assertEquals(Map.of("empty", 2L), rep.documents().droppedByReason());
        assertEquals(4 + 3 + 4 + 5L * BIG_WORDS + 1, rep.characters().read());
        assertEquals(1, rep.characters().nfkcDelta(), "the ligature became two letters");
        assertEquals(1L, rep.characters().droppedByReason().get("control"));
        assertEquals(4 + 1L, rep.characters().droppedByReason().get("whitespace"), "the blank line and the big line's trailing space");
        assertEquals(3 + 3 + (5L * BIG_WORDS - 1) + 2, rep.characters().kept());
        assertEquals(1, rep.invalidUtf8Replaced());

        long docs = 0;
        long chars = 0;
        for (Map.Entry<String, TextPrepReport.Split> e : rep.splits().entrySet()) {
            TextPrepReport.Split s = e.getValue();
            docs += s.documents();
            chars += s.characters();
            assertEquals(s.sequences() * SEQ, s.tokens(), e.getKey());
            // each partition's stream: its characters plus one end marker per document
            long slack = s.characters() + s.documents() - s.tokens() - s.tokensDroppedTail();
            assertTrue(slack >= 0 && slack <= 2, e.getKey() + ": " + s);
        }
        assertEquals(List.of(Splits.TRAIN), List.copyOf(rep.splits().keySet()));
        assertEquals(4, docs);
        assertEquals(rep.characters().kept(), chars);

        Manifest m = Manifest.read(out.toUri().toString(), TestSpark.get().hadoopConfiguration());
        assertEquals("lm", m.kind());
        assertEquals(new Manifest.TextInfo(SEQ, r.tokenizer().size(), "char"), m.text());
        assertEquals(rep.splits().get(Splits.TRAIN).sequences(), m.examples(Splits.TRAIN));
        assertEquals(r.tokenizer(), Tokenizer.load(out));
        assertTrue(r.tokenizer().vocab().contains("\uFFFD") && !r.tokenizer().vocab().contains("\u0000"));
        assertTrue(Files.exists(out.resolve(TextPrep.REPORT_FILE)));
    }

    @Test
    void recordsHoldNextTokenTargetsOfTheCleanedText(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("c.txt");
        Files.writeString(in, "the cat sat on the mat. ".repeat(400) + "\n" + "a dog ran in the fog! ".repeat(400) + "\n");
        Path out = tmp.resolve("ds");
        TextPrep.Result r = new TextPrep(TestSpark.get()).run(
                new TextPrep.Options(lines(in.toString()), out.toString(), "char", null, SEQ, 4, 0, 0, 1, 1, 100, false));
        Tokenizer tok = r.tokenizer();
        Manifest m = r.manifest();
        List<String> paths = m.recordPaths(out.toUri().toString(), Splits.TRAIN);
        assertEquals(m.splits().get(Splits.TRAIN).records(), paths.size());
        String corpus = "the cat sat on the mat. ".repeat(400).strip() + "\n" + "a dog ran in the fog! ".repeat(400).strip();
        for (boolean oneHot : new boolean[] {false, true}) {
            DataSet ds = new LmRecordLoader(tok.size(), oneHot, 1).load(paths.get(0));
            assertEquals(4, ds.numExamples());
            assertEquals(SEQ, ds.getLabels().size(2));
            for (int b = 0; b < 4; b++) {
                int[] seq = new int[SEQ + 1];
                for (int t = 0; t < SEQ; t++) {
                    seq[t] = oneHot ? ds.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.point(b),
                            org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t)).argMax().getInt(0)
                            : ds.getFeatures().getInt(b, 0, t);
                    seq[t + 1] = ds.getLabels().getInt(b, 0, t);
                }
                String text = tok.decode(seq);
                assertTrue(corpus.contains(text.strip()) || text.contains("\n"), "a window of the corpus: '" + text + "'");
            }
        }
    }

    @Test
    void addingDocumentsNeverMovesAnExistingOne(@TempDir Path tmp) throws Exception {
        DocumentReader reader = new DocumentReader(42, 0.1, 0.1);
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add("review number " + i + " says the film was " + (i % 2 == 0 ? "fine" : "dull"));
        }
        List<String> splitsBefore = first.stream().map(d -> reader.split(RawDoc.ofBytes(d.getBytes(StandardCharsets.UTF_8)))).toList();
        assertTrue(splitsBefore.contains(Splits.TEST) && splitsBefore.contains(Splits.VALIDATION) && splitsBefore.contains(Splits.TRAIN));

        Path a = tmp.resolve("night1.txt");
        Files.write(a, first);
        List<String> both = new ArrayList<>(first);
        for (int i = 0; i < 300; i++) {
            both.add(i, "a new post " + i + " arrived tonight");
        }
        Path b = tmp.resolve("night2.txt");
        Files.write(b, both);
        TextPrep prep = new TextPrep(TestSpark.get());
        TextPrep.Options o1 = new TextPrep.Options(lines(a.toString()), tmp.resolve("d1").toString(), "char", null,
                SEQ, 4, 0.1, 0.1, 42, 1, 100, false);
        TextPrepReport r1 = prep.run(o1).report();
        TextPrepReport r2 = prep.run(new TextPrep.Options(lines(b.toString()), tmp.resolve("d2").toString(), "char",
                tmp.resolve("d1").toString(), SEQ, 4, 0.1, 0.1, 42, 1, 100, false)).report();
        for (String split : List.of(Splits.TRAIN, Splits.VALIDATION, Splits.TEST)) {
            long before = splitsBefore.stream().filter(split::equals).count();
            assertEquals(before, r1.splits().get(split).documents(), split);
            assertTrue(r2.splits().get(split).documents() >= before, split);
        }
        // the second night reused the first night's tokenizer unchanged
        assertEquals(Tokenizer.load(tmp.resolve("d1")), Tokenizer.load(tmp.resolve("d2")));
        for (int i = 0; i < first.size(); i++) {
            assertEquals(splitsBefore.get(i), reader.split(RawDoc.ofBytes(first.get(i).getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void columnFormatsCountMissingAndMalformedRowsAndNameMissingColumns(@TempDir Path tmp) throws Exception {
        String text = "a fine film with a fine cast and a fine score";
        Path csv = tmp.resolve("r.csv");
        Files.writeString(csv, "id,review\n1,\"" + text + ", really\"\n2,\n3," + text + "\n");
        Path jsonl = tmp.resolve("r.jsonl");
        Files.writeString(jsonl, "{\"body\": \"" + text + "\"}\n{\"body\": \n{\"other\": 1}\n{\"body\": \"" + text + " again\"}\n");
        Path headless = tmp.resolve("h.csv");
        Files.writeString(headless, "1,\"" + text + "\"\n2,\"" + text + " too\"\n");
        TextPrep prep = new TextPrep(TestSpark.get());

        TextPrepReport c = prep.run(options(List.of(csv.toString()), "csv", "review", tmp.resolve("c"), null)).report();
        assertEquals(3, c.documents().read());
        assertEquals(Map.of("missing_text", 1L), c.documents().droppedByReason());

        TextPrep.Result words = prep.run(new TextPrep.Options(List.of(new TextInput("csv", "review", List.of(csv.toString()))),
                tmp.resolve("w").toString(), "word", null, 5, 4, 0, 0, 42, 2, 100, false));
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "a", "fine", "and", "cast", "film", "score", "with"),
                words.tokenizer().vocab(), "words seen at least twice, by count then alphabetically");
        assertEquals("word", words.manifest().text().tokenizer());

        TextPrepReport j = prep.run(options(List.of(jsonl.toString()), "jsonl", "body", tmp.resolve("j"), null)).report();
        assertEquals(4, j.documents().read());
        assertEquals(Map.of("malformed_row", 1L, "missing_text", 1L), j.documents().droppedByReason());

        Path fortunes = tmp.resolve("fortunes");
        Files.writeString(fortunes, "You will meet\na tall stranger.\n%\nBe careful\nwhat you wish for.\n%\n");
        TextPrepReport f = prep.run(new TextPrep.Options(List.of(new TextInput("lines", null, "\n%\n", List.of(fortunes.toString()))),
                tmp.resolve("f").toString(), "char", null, 5, 4, 0, 0, 42, 1, 100, false)).report();
        assertEquals(2, f.documents().kept(), "one document per fortune");
        assertEquals("You will meet\na tall stranger.".length() + "Be careful\nwhat you wish for.".length(), f.characters().kept(),
                "line breaks inside a document are kept");

        TextPrepReport h = prep.run(options(List.of(tmp.resolve("h*.csv").toString()), "csv", "1", tmp.resolve("h"), null)).report();
        assertEquals(2, h.documents().kept(), "a glob and a column index");

        UserException e = assertThrows(UserException.class,
                () -> prep.run(options(List.of(csv.toString()), "csv", "text", tmp.resolve("x"), null)));
        assertTrue(e.getMessage().contains("[id, review]"), e.getMessage());
        UserException missing = assertThrows(UserException.class,
                () -> prep.run(options(List.of(tmp.resolve("nope/*.txt").toString()), "lines", null, tmp.resolve("y"), null)));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
        assertTrue(Files.notExists(tmp.resolve("x")) && Files.notExists(tmp.resolve("y")));
    }
}
