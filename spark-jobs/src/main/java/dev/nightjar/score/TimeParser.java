package dev.nightjar.score;

import dev.nightjar.UserException;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.regex.Pattern;

/**
 * Reads a document's time by {@code --time-format}:
 * <ul>
 *   <li>{@code auto} (the default): ISO-8601 with an offset or {@code Z} ({@code 2026-01-05T10:00:00Z}),
 *       a local date-time with {@code T} or a space ({@code 2026-01-05 10:00:00}, taken as UTC), a date
 *       ({@code 2026-01-05}, midnight UTC); and a plain number by its magnitude: 10 digits are epoch
 *       seconds, 13 digits epoch milliseconds (each from 2001-09-09 to 2286-11-20). Any other number
 *       ({@code 2026}, {@code 20260105}) could mean several times, and is rejected as
 *       {@value #AMBIGUOUS}.</li>
 *   <li>{@code iso}: the ISO-8601 forms above only.</li>
 *   <li>{@code epoch-s}, {@code epoch-ms}: a number (a fraction allowed) of seconds or milliseconds since 1970-01-01 UTC.</li>
 *   <li>anything else is a {@link DateTimeFormatter} pattern ({@code yyyyMMdd}, {@code dd/MM/yyyy HH:mm});
 *       without an offset or zone the time is UTC, without a time of day it is midnight.</li>
 * </ul>
 * A time that does not read is {@value #BAD}.
 */
public final class TimeParser implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String AUTO = "auto";
    public static final java.util.List<String> NAMED = java.util.List.of(AUTO, "iso", "epoch-s", "epoch-ms");
    /** The reject reason of a time that does not read in the format. */
    public static final String BAD = "bad_time";
    /** The reject reason of a number that {@code auto} cannot place: give {@code --time-format}. */
    public static final String AMBIGUOUS = "ambiguous_time";
    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
    private static final Pattern SECONDS = Pattern.compile("\\d{10}(\\.\\d+)?");
    private static final Pattern MILLIS = Pattern.compile("\\d{13}(\\.\\d+)?");

    private final String format;
    private transient DateTimeFormatter pattern;

    /** @param format auto, iso, epoch-s, epoch-ms or a DateTimeFormatter pattern; a bad pattern fails naming --time-format */
    public TimeParser(String format) {
        this.format = format == null || format.isBlank() ? AUTO : format;
        if (!NAMED.contains(this.format)) {
            pattern();
        }
    }

    public String format() {
        return format;
    }

    /** A time read, or the reason it cannot be ({@link #BAD}, {@link #AMBIGUOUS}). */
    public record Parsed(Instant time, String reject) {
    }

    public Parsed parse(String raw) {
        String s = raw.strip();
        if (s.isEmpty()) {
            return new Parsed(null, BAD);
        }
        try {
            Instant t = switch (format) {
                case AUTO -> auto(s);
                case "iso" -> NUMBER.matcher(s).matches() ? null : iso(s);
                case "epoch-s" -> NUMBER.matcher(s).matches() ? epoch(s, 1) : null;
                case "epoch-ms" -> NUMBER.matcher(s).matches() ? epoch(s, 1000) : null;
                default -> pattern(s);
            };
            return t != null ? new Parsed(t, null) : new Parsed(null, BAD);
        } catch (Ambiguous e) {
            return new Parsed(null, AMBIGUOUS);
        } catch (DateTimeParseException | ArithmeticException e) {
            return new Parsed(null, BAD);
        }
    }

    private static Instant auto(String s) {
        if (SECONDS.matcher(s).matches()) {
            return epoch(s, 1);
        }
        if (MILLIS.matcher(s).matches()) {
            return epoch(s, 1000);
        }
        if (NUMBER.matcher(s).matches()) {
            throw new Ambiguous();
        }
        return iso(s);
    }

    private static Instant iso(String s) {
        if (s.length() == 10) {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        String iso = s.replace(' ', 'T');
        if (iso.endsWith("Z") || iso.matches(".*[+-]\\d{2}:?\\d{2}$")) {
            return OffsetDateTime.parse(iso).toInstant();
        }
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
    }

    /** {@code s} units of 1/{@code perSecond} s since the epoch, to the nanosecond. */
    private static Instant epoch(String s, int perSecond) {
        BigDecimal nanos = new BigDecimal(s).multiply(BigDecimal.valueOf(1_000_000_000L / perSecond));
        BigDecimal[] parts = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        long seconds = parts[0].longValueExact();
        long rest = parts[1].setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        if (rest < 0) {
            seconds--;
            rest += 1_000_000_000L;
        }
        return Instant.ofEpochSecond(seconds, rest);
    }

    private Instant pattern(String s) {
        TemporalAccessor t = pattern().parseBest(s, ZonedDateTime::from, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
        if (t instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (t instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (t instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        return ((LocalDate) t).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private DateTimeFormatter pattern() {
        if (pattern == null) {
            try {
                pattern = DateTimeFormatter.ofPattern(format, java.util.Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new UserException("--time-format '" + format + "' is neither one of " + NAMED
                        + " nor a java.time DateTimeFormatter pattern: " + e.getMessage());
            }
        }
        return pattern;
    }

    /** A number that auto cannot place. */
    private static final class Ambiguous extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Ambiguous() {
            super(null, null, false, false);
        }
    }
}
