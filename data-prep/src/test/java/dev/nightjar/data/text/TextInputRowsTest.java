package dev.nightjar.data.text;

import dev.nightjar.UserException;
import dev.nightjar.data.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile csv and jsonl through prepare, on local Spark: files whose columns come in another order,
 * a quote that never closes, a 4 MB line, invalid UTF-8. Every row is read as itself or dropped with
 * a reason, and the lines are counted apart from the reader.
 */
class TextInputRowsTest {
    private static final int BIG = 4 << 20;

    private static ClassificationPrep.Options options(String format, List<String> in, Path out) {
        return new ClassificationPrep.Options(new TextInput(format, "text", in), "label", null, out.toString(),
                "word", null, 16, 8, 0, 0, 42, 1, 1000, false, 0, 0, false);
    }

    /** Twenty well-formed rows: pos rows say sunny, neg rows say gloomy. */
    private static String rows(String format, boolean textFirst) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            String label = i % 2 == 0 ? "pos" : "neg";
            String text = (label.equals("pos") ? "sunny day " : "gloomy day ") + i;
            s.append(format.equals("csv") ? (textFirst ? text + "," + label : label + "," + text) + "\n"
                    : "{\"text\": \"" + text + "\", \"label\": \"" + label + "\"}\n");
        }
        return s.toString();
    }

    private static Map<String, String> docs(Path out) {
        Map<String, String> labelOf = new TreeMap<>();
        for (Row r : SparkSession.builder().sparkContext(TestSpark.get().sc()).getOrCreate().read().parquet(out.resolve(ClassificationPrep.DOCS_DIR).toString())
                .select("text", "label").collectAsList()) {
            labelOf.put(r.getString(0), r.getString(1));
        }
        return labelOf;
    }

    @Test
    void csvFilesWithTheirColumnsInAnotherOrderAreReadByName(@TempDir Path tmp) throws Exception {
        Path a = Files.writeString(tmp.resolve("a.csv"), "text,label\n" + rows("csv", true));
        Path b = Files.writeString(tmp.resolve("b.csv"), "label,text\n" + rows("csv", false).replace("day", "night"));
        ClassificationPrep.Result r = new ClassificationPrep(TestSpark.get()).run(options("csv", List.of(a.toString(), b.toString()), tmp.resolve("ds")));
        assertEquals(List.of("neg", "pos"), r.labels().labels(), "b.csv's texts are no labels");
        Map<String, String> labelOf = docs(tmp.resolve("ds"));
        assertEquals(40, labelOf.size());
        labelOf.forEach((text, label) -> assertEquals(text.startsWith("sunny") ? "pos" : "neg", label, text));

        Path c = Files.writeString(tmp.resolve("c.csv"), "label,body\npos,sunny\n");
        UserException e = assertThrows(UserException.class, () -> new ClassificationPrep(TestSpark.get())
                .run(options("csv", List.of(a.toString(), c.toString()), tmp.resolve("ds2"))));
        assertTrue(e.getMessage().contains("'text'") && e.getMessage().contains("c.csv") && e.getMessage().contains("[label, body]"), e.getMessage());
    }

    @Test
    void aCsvQuoteThatNeverClosesLosesOnlyItsOwnRowAndA4MbLineIsRead(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.write(("text,label\n" + rows("csv", true)
                + "\"unterminated quote,neg\n"
                + "\"read as itself\",pos\n"
                + "\"multi\n\nline\",neg\n"
                + "\"" + "sunny ".repeat(BIG / 6) + "\",pos\n\n"
                + "bad byte ").getBytes(StandardCharsets.UTF_8));
        csv.write(0xFF);
        csv.write(",neg\n".getBytes(StandardCharsets.UTF_8));
        Path in = Files.write(tmp.resolve("messy.csv"), csv.toByteArray());
        ClassificationPrep.Result r = new ClassificationPrep(TestSpark.get()).run(options("csv", List.of(in.toString()), tmp.resolve("ds")));

        assertEquals(25, r.report().documents().read(), "20 rows, the unclosed quote's, the row after it, a multi-line one, the big one, the bad byte's");
        assertEquals(Map.of("malformed_row", 1L), r.report().documents().droppedByReason());
        Map<String, String> labelOf = docs(tmp.resolve("ds"));
        assertEquals("pos", labelOf.get("read as itself"));
        assertEquals("neg", labelOf.get("multi\nline"), "blank lines inside quotes are text");
        assertEquals(List.of("neg"), labelOf.entrySet().stream().filter(e -> e.getKey().startsWith("bad byte")).map(Map.Entry::getValue).toList());
        assertTrue(labelOf.keySet().stream().anyMatch(t -> t.length() > BIG / 2), "the 4 MB row is kept");
        // 29 lines: a header, 27 that hold the 25 rows (one row is on three, one of them empty), one empty
        assertEquals(new TextSources.InputCount(29L, 2L, 1L, 26L, 0L, 1), r.report().inputCount());
    }

    @Test
    void aJsonlLineThatIsNotJsonIsDroppedAloneAndA4MbLineIsRead(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        jsonl.write((rows("jsonl", true)
                + "{\"text\": \"unterminated quote, \"label\": \"neg\"}\n"
                + "{\"text\": \"read as itself\", \"label\": \"pos\"}\n"
                + "  \n"
                + "{\"text\": \"" + "sunny ".repeat(BIG / 6) + "\", \"label\": \"pos\"}\n"
                + "{\"text\": \"bad byte ").getBytes(StandardCharsets.UTF_8));
        jsonl.write(0xFF);
        jsonl.write("\", \"label\": \"neg\"}\n".getBytes(StandardCharsets.UTF_8));
        Path in = Files.write(tmp.resolve("messy.jsonl"), jsonl.toByteArray());
        ClassificationPrep.Result r = new ClassificationPrep(TestSpark.get()).run(options("jsonl", List.of(in.toString()), tmp.resolve("ds")));

        assertEquals(24, r.report().documents().read());
        // Spark's JSON reader takes the line with invalid UTF-8 for a malformed one too
        assertEquals(Map.of("malformed_row", 2L), r.report().documents().droppedByReason());
        Map<String, String> labelOf = docs(tmp.resolve("ds"));
        assertEquals("pos", labelOf.get("read as itself"));
        assertTrue(labelOf.keySet().stream().anyMatch(t -> t.length() > BIG / 2), "the 4 MB row is kept");
        assertEquals(new TextSources.InputCount(25L, 1L, 0L, 24L, 0L, 1), r.report().inputCount());
    }

    @Test
    void invalidUtf8IsCountedInCsvAndJsonlAsInLines(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.write(("id,text\n1,\"" + "abc ".repeat(20)).getBytes(StandardCharsets.UTF_8));
        csv.write(new byte[]{(byte) 0xC3, '"', '\n', '2', ',', (byte) 0xFE, 'x', '\n'});
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        // Spark's JSON reader takes a line with invalid UTF-8 for a malformed one; it is still counted
        jsonl.write(("{\"text\": \"" + "abc ".repeat(20) + "\"}\n{\"text\": \"" + "abc ".repeat(20)).getBytes(StandardCharsets.UTF_8));
        jsonl.write(new byte[]{(byte) 0x80, '"', '}', '\n'});
        Path c = Files.write(tmp.resolve("t.csv"), csv.toByteArray());
        Path j = Files.write(tmp.resolve("t.jsonl"), jsonl.toByteArray());
        TextPrep.Options o = new TextPrep.Options(List.of(new TextInput("csv", "text", List.of(c.toString())),
                new TextInput("jsonl", "text", List.of(j.toString()))), tmp.resolve("lm").toString(), "char", null, 8, 2, 0, 0, 42, 1, 1000, false);
        assertEquals(3, new TextPrep(TestSpark.get()).run(o).report().invalidUtf8Replaced(), "two in the csv, one in the jsonl");
    }
}
