package dev.nightjar.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.nightjar.UserException;
import dev.nightjar.data.shard.RecordList;
import dev.nightjar.data.shard.RecordRef;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.family.DatasetKind;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a dataset directory: what a later job needs to trust and read the
 * shards, possibly on another day and another cluster.
 *
 * @param formatVersion shard and manifest format version
 * @param kind          image | lm | classification
 * @param created       ISO-8601 time of preparation
 * @param shape         input shape (image datasets)
 * @param numClasses    number of labels (0 for a language-model dataset)
 * @param batchSize     examples (images, sequences) per shard record, i.e. the training minibatch
 * @param splits        examples and records per split
 * @param shards        every shard file with its counts and checksum
 * @param inputs        the input paths
 * @param contentHash   SHA-256 over the shard checksums: equal hashes, equal data
 * @param prepConfig    the resolved preparation settings
 * @param text          sequence length, vocabulary and tokenizer (language-model datasets; null otherwise)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(int formatVersion, String kind, String created, ImageShape shape, int numClasses, int batchSize,
                       Map<String, SplitCounts> splits, List<ShardInfo> shards, List<String> inputs,
                       String contentHash, Map<String, Object> prepConfig, TextInfo text) {
    public static final String FILE = "manifest.json";
    public static final int FORMAT_VERSION = 1;
    public static final String SHARD_DIR = "shards";

    /** @param tokens predicted tokens (language-model datasets) */
    public record SplitCounts(long examples, long records, long tokens) {
    }

    /**
     * @param seqLen    tokens each sequence predicts (a stored sequence holds one more)
     * @param vocabSize tokenizer ids, reserved ones included
     * @param tokenizer char or word
     */
    public record TextInfo(int seqLen, int vocabSize, String tokenizer) {
    }

    /** Fails, naming the dataset, unless it is of the given kind. */
    public Manifest requireKind(DatasetKind expected, String dir) {
        if (!expected.manifestName().equals(kind)) {
            throw new UserException("dataset " + dir + " is a '" + kind + "' dataset; a '" + expected.manifestName() + "' dataset is needed here");
        }
        return this;
    }

    public static Manifest read(String datasetDir, Configuration conf) {
        String uri = datasetDir + "/" + FILE;
        if (!HadoopFiles.exists(uri, conf)) {
            throw new UserException("not a dataset directory (no " + FILE + "): " + datasetDir);
        }
        Manifest m;
        try {
            m = Json.MAPPER.readValue(HadoopFiles.readString(uri, conf), Manifest.class);
        } catch (java.io.IOException e) {
            throw new UserException("cannot parse " + uri + ": " + Json.reason(e), e);
        }
        if (m.formatVersion() != FORMAT_VERSION) {
            throw new UserException(uri + " has format version " + m.formatVersion() + "; this Nightjar reads " + FORMAT_VERSION);
        }
        return m;
    }

    public void write(String datasetDir, Configuration conf) {
        HadoopFiles.writeString(datasetDir + "/" + FILE, Json.write(this) + "\n", conf);
    }

    public long examples(String split) {
        SplitCounts c = splits.get(split);
        return c == null ? 0 : c.examples();
    }

    /**
     * Every record of a split as a training path ({@code <shard uri>#<record>}, see {@link RecordRef}), in
     * shard order. The list holds one entry per shard and makes each path when asked for it.
     */
    public RecordList recordPaths(String datasetDir, String split) {
        List<String> uris = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (ShardInfo s : shards) {
            if (s.split().equals(split)) {
                uris.add(datasetDir + "/" + SHARD_DIR + "/" + s.file());
                counts.add(s.records());
            }
        }
        return new RecordList(uris, counts);
    }

    /** A tokenizer.json, or the one in a directory (dataset or model bundle), local or on HDFS. */
    public static dev.nightjar.text.Tokenizer tokenizer(String dirOrFile, Configuration conf) {
        if (!HadoopFiles.exists(dirOrFile, conf)) {
            throw new UserException("not found: " + dirOrFile);
        }
        String file = HadoopFiles.isDirectory(dirOrFile, conf) ? dirOrFile + "/" + dev.nightjar.text.Tokenizer.FILE : dirOrFile;
        if (!HadoopFiles.exists(file, conf)) {
            throw new UserException(dirOrFile + " holds no " + dev.nightjar.text.Tokenizer.FILE);
        }
        try {
            return Json.MAPPER.readValue(HadoopFiles.readString(file, conf), dev.nightjar.text.Tokenizer.class);
        } catch (java.io.IOException e) {
            throw new UserException("cannot read tokenizer " + file + ": " + Json.reason(e), e);
        }
    }

    /** What a model family needs to know of the dataset in {@code datasetDir} (this manifest's). */
    public dev.nightjar.model.family.DatasetInfo info(String datasetDir, Configuration conf) {
        DatasetKind k = DatasetKind.ofManifest(kind, datasetDir);
        boolean image = k == DatasetKind.IMAGE;
        boolean labelled = k != DatasetKind.LANGUAGE_MODEL;
        return new dev.nightjar.model.family.DatasetInfo(k, image ? shape : null, labelled ? labels(datasetDir, conf) : null,
                image ? null : tokenizer(datasetDir, conf), text == null ? 0 : text.seqLen(), batchSize);
    }

    public static LabelMap labels(String datasetDir, Configuration conf) {
        return HadoopFiles.readJson(datasetDir + "/" + LabelMap.FILE, LabelMap.class, conf);
    }

    /** SHA-256 over the shard names, example counts and checksums: equal hashes, equal data. */
    public static String contentHash(List<ShardInfo> shards) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (ShardInfo s : shards) {
                md.update((s.file() + ":" + s.examples() + ":" + s.crc32() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
