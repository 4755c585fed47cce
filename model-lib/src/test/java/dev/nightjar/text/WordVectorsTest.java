package dev.nightjar.text;

import dev.nightjar.UserException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordVectorsTest {
    private static WordVectors read(String text, String format, int max) throws IOException {
        return WordVectors.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), format, "test", max);
    }

    @Test
    void gloveTextKeepsFileOrderAndCountsWhatItSkips() throws IOException {
        WordVectors v = read("the 1 2 3\ngood 0.5 -1 2e-1\nbroken 1 2\nthe 9 9 9\nbad x 1 2\n<unk> 7 7 7\nbest 4 5 6\n", "glove", 0);
        assertEquals(List.of("the", "good", "<unk>", "best"), v.words());
        assertEquals(3, v.dim());
        assertEquals(2, v.malformed(), "a short line and a non-number");
        assertEquals(1, v.repeated(), "the second 'the' keeps the first vector");
        assertArrayEquals(new float[] {0.5f, -1f, 0.2f}, v.vectors()[1]);
        Tokenizer t = v.tokenizer();
        assertEquals("word", t.type());
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "the", "good", "best"), t.vocab(), "a special in the file is shadowed");
        float[][] table = v.table();
        assertEquals(t.size(), table.length);
        assertArrayEquals(new float[3], table[Tokenizer.PAD]);
        assertArrayEquals(new float[] {(1 + 0.5f + 7 + 4) / 4, (2 - 1 + 7 + 5) / 4f, (3 + 0.2f + 7 + 6) / 4}, table[Tokenizer.UNK], 1e-6f,
                "an unknown word gets the mean of all vectors");
        assertArrayEquals(new float[] {4, 5, 6}, table[t.encode("best")[0]]);
        assertEquals(List.of("the", "good"), read("the 1 2 3\ngood 1 1 1\nbest 4 5 6\n", "glove", 2).words(), "--max-words");
    }

    @Test
    void aCorpusWordBeyondMaxWordsKeepsItsVector() throws IOException {
        String glove = "the 1 1\ngood 2 2\nfilm 3 3\npretentious 4 4\nfilm 9 9\nunfunny 5 5\n";
        WordVectors v = WordVectors.read(new ByteArrayInputStream(glove.getBytes(StandardCharsets.UTF_8)), "glove", "test", 2,
                java.util.Set.of("unfunny", "film", "the", "absent"));
        assertEquals(List.of("the", "good", "film", "unfunny"), v.words(), "the first 2, then the corpus words the file holds, in file order");
        assertArrayEquals(new float[] {3, 3}, v.vectors()[2], "a repeated word beyond max-words keeps its first vector");
        assertArrayEquals(new float[] {5, 5}, v.vectors()[3]);
    }

    @Test
    void word2vecTextAndBinaryReadAlike() throws IOException {
        WordVectors text = read("2 2\nsun 0.25 -1\nrain 3 4\n", "word2vec", 0);
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        bin.writeBytes("2 2\n".getBytes(StandardCharsets.US_ASCII));
        for (Object[] w : new Object[][] {{"sun", new float[] {0.25f, -1}}, {"rain", new float[] {3, 4}}}) {
            bin.writeBytes((w[0] + " ").getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put((float[]) w[1]);
            bin.writeBytes(b.array());
            bin.write('\n');
        }
        WordVectors binary = WordVectors.read(new ByteArrayInputStream(bin.toByteArray()), "word2vec-binary", "test", 0);
        for (WordVectors v : List.of(text, binary)) {
            assertEquals(List.of("sun", "rain"), v.words());
            assertArrayEquals(new float[] {0.25f, -1}, v.vectors()[0]);
            assertArrayEquals(new float[] {3, 4}, v.vectors()[1]);
        }
    }

    @Test
    void badInputFailsNamingTheSource() {
        UserException header = assertThrows(UserException.class, () -> read("sun 1 2\n", "word2vec", 0));
        assertTrue(header.getMessage().contains("test") && header.getMessage().contains("count dim"), header.getMessage());
        UserException empty = assertThrows(UserException.class, () -> read("a b\n", "glove", 0));
        assertTrue(empty.getMessage().contains("no word vectors"), empty.getMessage());
        byte[] cut = "1 4\nsun ".getBytes(StandardCharsets.US_ASCII);
        assertThrows(IOException.class, () -> WordVectors.read(new ByteArrayInputStream(cut), "word2vec-binary", "test", 0));
        assertThrows(UserException.class, () -> read("x 1\n", "fasttext", 0));
    }
}
