package dev.nightjar.data.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into physical lines the way Hadoop's {@code LineReader} does (a line ends at
 * LF, CR or CRLF), keeping each line's terminator, so lines joined again give the input back. A
 * line longer than {@code maxLine} bytes is not held: its first bytes are kept and it is marked
 * {@link Line#tooLong}.
 */
final class PhysicalLines {
    /** Bytes of an over-long line kept to show in a reject. */
    static final int SHOWN = 1024;

    /**
     * One physical line: {@code bytes[0, length)} its content, then {@code term} bytes of terminator
     * (0 on a last line without one).
     */
    record Line(byte[] bytes, int length, int term, boolean tooLong) {
        boolean blank() {
            return length == 0 && !tooLong;
        }

        int total() {
            return length + term;
        }

        String text() {
            String s = new String(bytes, 0, length, StandardCharsets.UTF_8);
            return tooLong ? s + "…" : s;
        }
    }

    private final InputStream in;
    private final int maxLine;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];

    PhysicalLines(InputStream in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        int n = 0;
        long seen = 0;
        boolean any = false;
        while (true) {
            if (pos == limit && !fill()) {
                return any ? line(n, seen, 0) : null;
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n' && buf[pos] != '\r') {
                pos++;
            }
            int take = pos - start;
            if (seen + take <= maxLine) {
                line = ensure(line, n + take);
                System.arraycopy(buf, start, line, n, take);
                n += take;
            } else if (n < SHOWN) {
                int keep = Math.min(take, SHOWN - n);
                line = ensure(line, n + keep);
                System.arraycopy(buf, start, line, n, keep);
                n += keep;
            }
            seen += take;
            if (pos < limit) {
                byte end = buf[pos++];
                if (end == '\r') {
                    if (pos == limit && !fill()) {
                        return line(n, seen, 1, (byte) '\r');
                    }
                    if (buf[pos] == '\n') {
                        pos++;
                        return line(n, seen, 2, (byte) '\r', (byte) '\n');
                    }
                    return line(n, seen, 1, (byte) '\r');
                }
                return line(n, seen, 1, (byte) '\n');
            }
        }
    }

    private Line line(int n, long seen, int term, byte... terminator) {
        boolean tooLong = seen > maxLine;
        byte[] out = Arrays.copyOf(line, n + term);
        System.arraycopy(terminator, 0, out, n, term);
        return new Line(out, n, term, tooLong);
    }

    private boolean fill() throws IOException {
        int r = in.read(buf);
        if (r <= 0) {
            pos = limit = 0;
            return false;
        }
        pos = 0;
        limit = r;
        return true;
    }

    private static byte[] ensure(byte[] a, int size) {
        return size <= a.length ? a : Arrays.copyOf(a, Math.max(size, (int) Math.min(Integer.MAX_VALUE - 8, 2L * a.length)));
    }
}
