package dev.nightjar.data.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads CSV records (RFC 4180: comma, double quote, {@code ""} inside quotes) from a byte stream,
 * so that a bad row can never take the next one with it, and every non-blank physical line lands
 * in exactly one record.
 *
 * <ul>
 *   <li>A quoted field may run over line ends. It must end with a quote followed by a comma or the
 *       end of the line. When a field that ran over a line end instead meets a quote followed by
 *       anything else, or the end of the input, or grows past {@code maxRecord} bytes, its quote
 *       was never closed: the record's first line alone is returned as malformed
 *       ({@value #UNCLOSED_QUOTE}) and reading starts again at the line after it, so the rows the
 *       quote ran into are read as themselves.</li>
 *   <li>On one line, a quote followed by other text is kept as text up to the next comma
 *       ({@code "a" b} reads {@code a" b}), as Spark's reader did.</li>
 *   <li>Empty lines between records are skipped; an empty field (quoted or not) is null.</li>
 *   <li>A line longer than {@code maxLine} bytes is a malformed record ({@value #LINE_TOO_LONG}).</li>
 * </ul>
 * Checking the field count against a header is the caller's part. Invalid UTF-8 is replaced by U+FFFD.
 */
final class CsvRecords {
    static final String UNCLOSED_QUOTE = "unclosed_quote";
    static final String LINE_TOO_LONG = "line_too_long";
    /** The default bound of a record that runs over line ends, and of a line. */
    static final int MAX_RECORD = 64 << 20;

    /**
     * A record: its fields, or null with the reason it is malformed; and its physical lines.
     *
     * @param lines the physical lines it spans, terminators included (the last one's may be absent)
     */
    record Record(String[] fields, String malformed, List<PhysicalLines.Line> lines) {
        /** Its non-empty physical lines: what an independent count of non-empty lines counts for it. */
        long nonEmptyLines() {
            return lines.stream().filter(l -> !l.blank()).count();
        }

        /** The record as it stands in the input, without the last line's terminator. */
        String raw() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                PhysicalLines.Line l = lines.get(i);
                s.append(l.text());
                if (i < lines.size() - 1) {
                    s.append(new String(l.bytes(), l.length(), l.term(), StandardCharsets.UTF_8));
                }
            }
            return s.toString();
        }
    }

    private final PhysicalLines source;
    private final int maxRecord;
    private final Deque<PhysicalLines.Line> pushedBack = new ArrayDeque<>();

    CsvRecords(InputStream in) {
        this(in, MAX_RECORD, MAX_RECORD);
    }

    CsvRecords(InputStream in, int maxLine, int maxRecord) {
        this.source = new PhysicalLines(in, maxLine);
        this.maxRecord = maxRecord;
    }

    private PhysicalLines.Line pull() throws IOException {
        return pushedBack.isEmpty() ? source.next() : pushedBack.pollFirst();
    }

    /** The next record, or null at the end of the input. */
    Record next() throws IOException {
        PhysicalLines.Line first;
        do {
            first = pull();
            if (first == null) {
                return null;
            }
        } while (first.blank());
        List<PhysicalLines.Line> lines = new ArrayList<>(List.of(first));
        if (first.tooLong()) {
            return new Record(null, LINE_TOO_LONG, lines);
        }
        List<String> fields = new ArrayList<>();
        Bytes field = new Bytes();
        PhysicalLines.Line line = first;
        long size = first.total();
        int pos = 0;
        while (true) {
            byte[] b = line.bytes();
            if (pos < line.length() && b[pos] == '"') {
                field.reset();
                boolean spanned = false;
                int i = pos + 1;
                while (true) {
                    int q = indexOf(b, (byte) '"', i, line.length());
                    if (q < 0) {
                        field.append(b, i, line.total() - i);
                        PhysicalLines.Line next = line.term() == 0 ? null : pull();
                        if (next == null || next.tooLong() || size + next.total() > maxRecord) {
                            return unclosed(lines, next);
                        }
                        lines.add(next);
                        size += next.total();
                        line = next;
                        b = line.bytes();
                        i = 0;
                        spanned = true;
                        continue;
                    }
                    field.append(b, i, q - i);
                    if (q + 1 < line.length() && b[q + 1] == '"') {
                        field.append(b, q, 1);
                        i = q + 2;
                        continue;
                    }
                    if (q + 1 < line.length() && b[q + 1] != ',') {
                        if (spanned) {
                            return unclosed(lines, null);
                        }
                        int c = indexOf(b, (byte) ',', q + 1, line.length());
                        int end = c < 0 ? line.length() : c;
                        field.append(b, q, end - q);
                        fields.add(field.string());
                        if (c < 0) {
                            return new Record(fields.toArray(String[]::new), null, lines);
                        }
                        pos = c + 1;
                        break;
                    }
                    fields.add(field.string());
                    if (q + 1 == line.length()) {
                        return new Record(fields.toArray(String[]::new), null, lines);
                    }
                    pos = q + 2;
                    break;
                }
            } else {
                int c = indexOf(b, (byte) ',', pos, line.length());
                int end = c < 0 ? line.length() : c;
                fields.add(end == pos ? null : new String(b, pos, end - pos, StandardCharsets.UTF_8));
                if (c < 0) {
                    return new Record(fields.toArray(String[]::new), null, lines);
                }
                pos = c + 1;
            }
        }
    }

    /** The record's first line is malformed; the lines after it are read again, as rows of their own. */
    private Record unclosed(List<PhysicalLines.Line> lines, PhysicalLines.Line next) {
        if (next != null) {
            pushedBack.addFirst(next);
        }
        for (int i = lines.size() - 1; i >= 1; i--) {
            pushedBack.addFirst(lines.get(i));
        }
        return new Record(null, UNCLOSED_QUOTE, List.of(lines.get(0)));
    }

    private static int indexOf(byte[] b, byte x, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** A growing byte buffer for one field. */
    private static final class Bytes {
        private byte[] a = new byte[64];
        private int n;

        void reset() {
            n = 0;
        }

        void append(byte[] b, int off, int len) {
            if (n + len > a.length) {
                a = java.util.Arrays.copyOf(a, Math.max(n + len, 2 * a.length));
            }
            System.arraycopy(b, off, a, n, len);
            n += len;
        }

        /** The field's text; empty is null. */
        String string() {
            return n == 0 ? null : new String(a, 0, n, StandardCharsets.UTF_8);
        }
    }
}
