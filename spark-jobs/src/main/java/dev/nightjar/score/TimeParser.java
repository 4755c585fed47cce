package dev.nightjar.score;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads a document's time: ISO-8601 with an offset or {@code Z} ({@code 2026-01-05T10:00:00Z}), a
 * local date-time with {@code T} or a space ({@code 2026-01-05 10:00:00}, taken as UTC), a date
 * ({@code 2026-01-05}, midnight UTC), or epoch seconds. Anything else is unparseable (null).
 */
public final class TimeParser {
    private TimeParser() {
    }

    public static Instant parse(String raw) {
        String s = raw.strip();
        if (s.isEmpty()) {
            return null;
        }
        try {
            if (s.matches("-?\\d{1,12}(\\.\\d+)?")) {
                double seconds = Double.parseDouble(s);
                return Instant.ofEpochSecond((long) Math.floor(seconds), Math.round((seconds - Math.floor(seconds)) * 1e9));
            }
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            String iso = s.replace(' ', 'T');
            if (iso.endsWith("Z") || iso.matches(".*[+-]\\d{2}:?\\d{2}$")) {
                return OffsetDateTime.parse(iso).toInstant();
            }
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }
}
