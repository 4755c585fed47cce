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
    /**
     * Unicode word boundaries (words and punctuation marks), lowercased; whitespace is not a token.
     * English clitics are split off as GloVe's and word2vec's corpora (Penn Treebank style) were:
     * "doesn't" → "does" "n't", "it's" → "it" "'s", also 're 've 'll 'd 'm; a clitic already
     * split off ("jackson 's") stays one token. The typographic apostrophe (U+2019) reads as '.
     */
    WORD {
        @Override
        public void segment(CharSequence text, Consumer<String> out) {
            String s = text.toString().replace('\u2019', '\'');
            BreakIterator words = BreakIterator.getWordInstance(Locale.ROOT);
            words.setText(s);
            String apostrophe = null; // an apostrophe that may start a clitic right after it
            int start = words.first();
            for (int end = words.next(); end != BreakIterator.DONE; start = end, end = words.next()) {
                String token = s.substring(start, end).toLowerCase(Locale.ROOT);
                if (apostrophe != null) {
                    apostrophe = null;
                    if (CLITICS.contains("'" + token)) {
                        out.accept("'" + token);
                        continue;
                    }
                    out.accept("'");
                }
                if (token.equals("'")) {
                    apostrophe = token;
                } else if (!token.isBlank()) {
                    splitClitic(token, out);
                }
            }
            if (apostrophe != null) {
                out.accept(apostrophe);
            }
        }

        @Override
        public String join(List<String> tokens) {
            return String.join(" ", tokens);
        }
    },
    /**
     * The pieces byte-level BPE merges within (GPT-2's pre-tokenizer): a run of letters, of digits or of
     * other non-space characters, each with the one space before it attached; a run of whitespace; and
     * the English endings 's 't 're 've 'm 'll 'd. The pieces concatenate to the text, so nothing is lost.
     * {@link Tokenizer} turns each piece into ids with its merges ({@link BytePairEncoding}).
     */
    BPE {
        @Override
        public void segment(CharSequence text, Consumer<String> out) {
            java.util.regex.Matcher m = GPT2_PIECES.matcher(text);
            while (m.find()) {
                out.accept(m.group());
            }
        }

        @Override
        public String join(List<String> tokens) {
            return String.join("", tokens);
        }
    };

    /** GPT-2's pre-tokenizer pattern (Radford et al. 2019, encoder.py); every character falls in one alternative. */
    private static final java.util.regex.Pattern GPT2_PIECES = java.util.regex.Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private static final List<String> CLITICS = List.of("n't", "'s", "'re", "'ve", "'ll", "'d", "'m");

    public abstract void segment(CharSequence text, Consumer<String> out);

    private static void splitClitic(String word, Consumer<String> out) {
        for (String clitic : CLITICS) {
            if (word.length() > clitic.length() && word.endsWith(clitic)) {
                out.accept(word.substring(0, word.length() - clitic.length()));
                out.accept(clitic);
                return;
            }
        }
        out.accept(word);
    }

    /** Text for a list of decoded tokens. */
    public abstract String join(List<String> tokens);

    /** The segmenter named {@code char}, {@code word} or {@code bpe}; a clear error for anything else. */
    public static Segmenter of(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new dev.nightjar.UserException("unknown tokenizer type '" + name + "' (expected char, word or bpe)");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
