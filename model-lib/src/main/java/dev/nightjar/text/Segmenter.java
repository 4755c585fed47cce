package dev.nightjar.text;

import java.text.BreakIterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** How cleaned text is cut into tokens. */
public enum Segmenter {
    /** One token per Unicode code point, whitespace included. */
    CHAR {
        @Override
        public void segment(CharSequence text, Consumer<String> out) {
            text.codePoints().forEach(cp -> out.accept(new String(Character.toChars(cp))));
        }

        @Override
        public String join(List<String> tokens) {
            return String.join("", tokens);
        }
    },
    /** Unicode word boundaries (words and punctuation marks), lowercased; whitespace is not a token. */
    WORD {
        @Override
        public void segment(CharSequence text, Consumer<String> out) {
            String s = text.toString();
            BreakIterator words = BreakIterator.getWordInstance(Locale.ROOT);
            words.setText(s);
            int start = words.first();
            for (int end = words.next(); end != BreakIterator.DONE; start = end, end = words.next()) {
                String token = s.substring(start, end);
                if (!token.isBlank()) {
                    out.accept(token.toLowerCase(Locale.ROOT));
                }
            }
        }

        @Override
        public String join(List<String> tokens) {
            return String.join(" ", tokens);
        }
    };

    public abstract void segment(CharSequence text, Consumer<String> out);

    /** Text for a list of decoded tokens. */
    public abstract String join(List<String> tokens);

    /** The segmenter named {@code char} or {@code word}; a clear error for anything else. */
    public static Segmenter of(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new dev.nightjar.UserException("unknown tokenizer type '" + name + "' (expected char or word)");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
