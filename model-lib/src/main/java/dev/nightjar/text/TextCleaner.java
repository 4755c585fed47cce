package dev.nightjar.text;

import java.text.Normalizer;

/**
 * Cleans one document, chunk by chunk, so a document of any length streams through: Unicode
 * NFKC, control characters removed, every run of whitespace collapsed to one space (or one
 * newline when the run held a line break), none at the start or the end. The same code runs at
 * prep and at scoring time.
 *
 * <p>Counts obey {@code read + nfkcDelta - controlRemoved - whitespaceRemoved = written}.
 * A chunk must end where NFKC cannot join it to the next one: {@link #safeCut} finds such a place.
 */
public final class TextCleaner {
    private boolean pendingSpace;
    private boolean pendingNewline;
    private boolean started;
    private long read;
    private long nfkcDelta;
    private long controlRemoved;
    private long whitespaceRemoved;
    private long written;

    /** Cleans a whole short document (a sentence to score, a prompt). */
    public static String clean(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        new TextCleaner().feed(text, out);
        return out.toString();
    }

    /** Appends the cleaned chunk to {@code out}; whitespace pending at its end waits for the next chunk. */
    public void feed(CharSequence chunk, StringBuilder out) {
        int in = Character.codePointCount(chunk, 0, chunk.length());
        read += in;
        String nfkc = Normalizer.normalize(chunk, Normalizer.Form.NFKC);
        nfkcDelta += nfkc.codePointCount(0, nfkc.length()) - in;
        for (int i = 0; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                whitespaceRemoved++;
                pendingSpace = true;
                pendingNewline |= isLineBreak(cp);
            } else if (isControl(cp)) {
                controlRemoved++;
            } else {
                if (pendingSpace && started) {
                    out.append(pendingNewline ? '\n' : ' ');
                    whitespaceRemoved--;
                    written++;
                }
                pendingSpace = false;
                pendingNewline = false;
                started = true;
                out.appendCodePoint(cp);
                written++;
            }
        }
    }

    /** Ends the document: trailing whitespace is dropped and the next document starts fresh. */
    public void endDocument() {
        pendingSpace = false;
        pendingNewline = false;
        started = false;
    }

    /**
     * An index at or before {@code end} where the text can be cut without changing its NFKC form or
     * splitting a word: before the last ASCII whitespace, else before the last ASCII character
     * (ASCII never composes with what precedes it), else {@code end}.
     */
    public static int safeCut(CharSequence text, int start, int end) {
        int ascii = -1;
        for (int i = end - 1; i > start; i--) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                return i;
            }
            if (ascii < 0 && c < 0x80) {
                ascii = i;
            }
        }
        return ascii > 0 ? ascii : end;
    }

    private static boolean isLineBreak(int cp) {
        return cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029 || cp == 0x0B || cp == 0x0C;
    }

    private static boolean isControl(int cp) {
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.SURROGATE || t == Character.UNASSIGNED || cp == 0xFEFF;
    }

    /** Code points read (before NFKC). */
    public long read() {
        return read;
    }

    /** Code points NFKC added (negative when it merged more than it expanded). */
    public long nfkcDelta() {
        return nfkcDelta;
    }

    public long controlRemoved() {
        return controlRemoved;
    }

    public long whitespaceRemoved() {
        return whitespaceRemoved;
    }

    /** Code points written. */
    public long written() {
        return written;
    }
}
