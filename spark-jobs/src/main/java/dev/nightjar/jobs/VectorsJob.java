package dev.nightjar.jobs;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.text.CorpusWords;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextSources;
import dev.nightjar.model.Embeddings;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.storage.Bundles;
import dev.nightjar.text.WordVectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * {@code nightjar prepare vectors}: imports pretrained word vectors (GloVe text, word2vec text or
 * binary; gzipped or not; local or hdfs://) as a word-vectors bundle: the word tokenizer and the
 * embedding table: one pass over one file. With a corpus, Spark first lists the corpus's words
 * ({@link CorpusWords}), and the vectors of those words are kept too, beyond {@code maxWords}: the model's
 * vocabulary then covers the rare words the corpus uses (a sentiment corpus's "pretentious" or "unfunny" lie past
 * GloVe's 30,000 most frequent words) without shipping the whole file's table every averaging round.
 */
public final class VectorsJob {
    private static final Logger LOG = LoggerFactory.getLogger(VectorsJob.class);
    /**
     * @param maxWords the first this many words of the file (0 = all)
     * @param corpus   also keep the vectors of this corpus's words (empty: none)
     */
    public record Options(String input, String format, String output, int maxWords, List<TextInput> corpus, boolean overwrite) {
        public Options(String input, String format, String output, int maxWords, boolean overwrite) {
            this(input, format, output, maxWords, List.of(), overwrite);
        }
    }

    private VectorsJob() {
    }

    /** Without a corpus: no Spark. */
    public static ModelBundle run(Options o, Configuration conf) {
        if (!o.corpus().isEmpty()) {
            throw new IllegalArgumentException("a corpus needs Spark: run(options, sc)");
        }
        return run(o, conf, Set.of());
    }

    public static ModelBundle run(Options o, JavaSparkContext sc) {
        Configuration conf = sc.hadoopConfiguration();
        check(o, conf);
        o.corpus().forEach(c -> TextSources.checkExists(c.paths(), conf));
        Set<String> words = o.corpus().isEmpty() ? Set.of() : CorpusWords.of(sc, o.corpus());
        LOG.info("{} different words in the corpus {}", words.size(), o.corpus());
        return run(o, conf, words);
    }

    private static void check(Options o, Configuration conf) {
        if (!HadoopFiles.exists(HadoopFiles.qualify(o.input(), conf), conf)) {
            throw new UserException("input not found: " + o.input());
        }
        if (HadoopFiles.exists(HadoopFiles.qualify(o.output(), conf), conf) && !o.overwrite()) {
            throw new UserException("output already exists: " + o.output() + " (use --overwrite to replace it)");
        }
    }

    private static ModelBundle run(Options o, Configuration conf, Set<String> corpusWords) {
        check(o, conf);
        String input = HadoopFiles.qualify(o.input(), conf);
        String output = HadoopFiles.qualify(o.output(), conf);
        WordVectors vectors;
        try (InputStream raw = HadoopFiles.fs(input, conf).open(new Path(input));
             InputStream in = input.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            vectors = WordVectors.read(new java.io.BufferedInputStream(in, 1 << 16), o.format(), o.input(), o.maxWords(), corpusWords);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + o.input(), e);
        }
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("source", input);
        origin.put("format", o.format());
        origin.put("malformed_lines", vectors.malformed());
        origin.put("repeated_words", vectors.repeated());
        if (!o.corpus().isEmpty()) {
            long known = vectors.words().stream().filter(corpusWords::contains).count();
            origin.put("max_words", o.maxWords());
            origin.put("corpus", o.corpus().toString());
            origin.put("corpus_words", corpusWords.size());
            origin.put("corpus_words_with_vectors", known);
            LOG.info("{} of the corpus's {} different words have vectors; {} words kept in all", known, corpusWords.size(), vectors.words().size());
        }
        ModelBundle bundle = Embeddings.bundle(vectors, origin);
        Bundles.save(bundle, output, conf);
        return bundle;
    }
}
