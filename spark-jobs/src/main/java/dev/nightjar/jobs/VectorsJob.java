package dev.nightjar.jobs;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.model.Embeddings;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.storage.Bundles;
import dev.nightjar.text.WordVectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/**
 * {@code nightjar prepare vectors}: imports pretrained word vectors (GloVe text, word2vec text or
 * binary; gzipped or not; local or hdfs://) as a word-vectors bundle: the word tokenizer and the
 * embedding table. No Spark: one pass over one file.
 */
public final class VectorsJob {
    /**
     * @param maxWords the first this many words of the file (0 = all)
     */
    public record Options(String input, String format, String output, int maxWords, boolean overwrite) {
    }

    private VectorsJob() {
    }

    public static ModelBundle run(Options o, Configuration conf) {
        String input = HadoopFiles.qualify(o.input(), conf);
        if (!HadoopFiles.exists(input, conf)) {
            throw new UserException("input not found: " + o.input());
        }
        String output = HadoopFiles.qualify(o.output(), conf);
        if (HadoopFiles.exists(output, conf) && !o.overwrite()) {
            throw new UserException("output already exists: " + o.output() + " (use --overwrite to replace it)");
        }
        WordVectors vectors;
        try (InputStream raw = HadoopFiles.fs(input, conf).open(new Path(input));
             InputStream in = input.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            vectors = WordVectors.read(new java.io.BufferedInputStream(in, 1 << 16), o.format(), o.input(), o.maxWords());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + o.input(), e);
        }
        ModelBundle bundle = Embeddings.bundle(vectors, input, o.format());
        Bundles.save(bundle, output, conf);
        return bundle;
    }
}
