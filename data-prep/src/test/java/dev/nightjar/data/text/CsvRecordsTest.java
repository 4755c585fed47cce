package dev.nightjar.data.text;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The csv record reader on its own: what a bad quote does, and that every line lands in one record. */
class CsvRecordsTest {
    private static List<String> read(String csv, int max) throws IOException {
        CsvRecords r = new CsvRecords(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), max, max);
        List<String> out = new ArrayList<>();
        for (CsvRecords.Record x = r.next(); x != null; x = r.next()) {
            out.add((x.fields() == null ? x.malformed() + ":" + x.raw() : Arrays.toString(x.fields())) + "/" + x.nonEmptyLines());
        }
        return out;
    }

    private static List<String> read(String csv) throws IOException {
        return read(csv, CsvRecords.MAX_RECORD);
    }

    @Test
    void anUnclosedQuoteLosesItsOwnLineOnlyNotTheRowsAfterIt() throws IOException {
        assertEquals(List.of("[1, a]/1", "unclosed_quote:2,\"never closed/1", "[3, \"quoted\" row]/1", "[4, d]/1"),
                read("1,a\n2,\"never closed\n3,\"\"\"quoted\"\" row\"\n4,d\n"));
        // the quote runs into a row that opens a quote of its own: that row is read as itself
        assertEquals(List.of("unclosed_quote:9,\"unterminated,x/1", "[10, swallowed]/1", "[11, z]/1"),
                read("9,\"unterminated,x\n10,\"swallowed\"\n11,z"));
        // to the end of the input: every line after it is still a row
        assertEquals(List.of("[1, a]/1", "unclosed_quote:2,\"b/1", "[3, c]/1", "[4, d]/1"), read("1,a\r\n2,\"b\r\n3,c\r\n4,d"));
    }

    @Test
    void aQuotedFieldMayHoldLineEndsCommasAndQuotes() throws IOException {
        assertEquals(List.of("[8, multi\r\n\r\nline, \"x\", t]/2", "[9, null, null]/1"),
                read("8,\"multi\r\n\r\nline\",\"\"\"x\"\"\",t\n\n\n9,,\"\"\n"));
        // on one line a quote followed by text is text, as Spark read it
        assertEquals(List.of("[7, quoted\" junk, t]/1"), read("7,\"quoted\" junk,t"));
    }

    @Test
    void aRecordOrLineOverTheBoundIsMalformedAndTheRestIsRead() throws IOException {
        String big = "x".repeat(100);
        assertEquals(List.of("[1, a]/1", "line_too_long:2," + "x".repeat(PhysicalLines.SHOWN - 2) + "…/1", "[3, c]/1"),
                read("1,a\n2," + "x".repeat(PhysicalLines.SHOWN * 2) + "\n3,c\n", PhysicalLines.SHOWN * 2));
        assertEquals(List.of("unclosed_quote:1,\"a/1", "[" + big + "]/1", "[" + big + "]/1", "[2, b]/1"),
                read("1,\"a\n" + big + "\n" + big + "\n2,b\n", 150));
    }
}
