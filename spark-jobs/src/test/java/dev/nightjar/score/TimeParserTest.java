package dev.nightjar.score;

import dev.nightjar.UserException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Times by --time-format: a number is epoch seconds or milliseconds only when its size or the format says so. */
class TimeParserTest {
    private static String read(String format, String raw) {
        TimeParser.Parsed p = new TimeParser(format).parse(raw);
        return p.reject() != null ? p.reject() : p.time().toString();
    }

    @Test
    void autoReadsIsoFormsAndEpochNumbersByTheirSizeAndRejectsOtherNumbers() {
        assertEquals("2026-01-05T10:00:00Z", read("auto", "2026-01-05T11:00:00+01:00"));
        assertEquals("2026-01-05T10:00:00Z", read("auto", "2026-01-05 10:00:00"));
        assertEquals("2026-01-05T00:00:00Z", read("auto", "2026-01-05"));
        assertEquals("2026-01-09T12:00:00Z", read("auto", "1767960000"), "10 digits: epoch seconds");
        assertEquals("2026-01-09T12:00:00.250Z", read("auto", "1767960000250"), "13 digits: epoch milliseconds");
        assertEquals("2026-01-09T12:00:00.500Z", read("auto", "1767960000.5"));
        // a year, a compact date, a count: none is read as a time in 1970
        for (String n : new String[]{"2026", "20260105", "0", "-5", "12345678901", "176796000025000"}) {
            assertEquals(TimeParser.AMBIGUOUS, read("auto", n), n);
        }
        assertEquals(TimeParser.BAD, read("auto", "not-a-time"));
        assertEquals(TimeParser.BAD, read(null, "2026-13-40"));
    }

    @Test
    void anExplicitFormatReadsOnlyWhatItSays() {
        assertEquals("1970-01-01T00:33:46Z", read("epoch-s", "2026"), "asked for: seconds");
        assertEquals("2026-01-09T12:00:00Z", read("epoch-ms", "1767960000000"));
        assertEquals("1969-12-31T23:59:59.999Z", read("epoch-ms", "-1"));
        assertEquals(TimeParser.BAD, read("epoch-s", "2026-01-05"));
        assertEquals(TimeParser.BAD, read("iso", "1767960000"), "iso reads no number");
        assertEquals("2026-01-05T00:00:00Z", read("yyyyMMdd", "20260105"));
        assertEquals("2026-01-05T09:30:00Z", read("dd/MM/yyyy HH:mm", "05/01/2026 09:30"));
        assertEquals("2026-01-05T08:30:00Z", read("dd/MM/yyyy HH:mmXXX", "05/01/2026 09:30+01:00"));
        assertEquals(TimeParser.BAD, read("yyyyMMdd", "2026-01-05"));
        UserException e = assertThrows(UserException.class, () -> new TimeParser("yyyy-MM-dd'T"));
        assertTrue(e.getMessage().contains("--time-format"), e.getMessage());
        assertEquals(Instant.parse("2026-01-05T00:00:00Z"), new TimeParser("yyyyMMdd").parse(" 20260105 ").time());
    }
}
