package dev.nightjar.score;

import dev.nightjar.model.LabelMap;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.text.ClassifierInput;
import dev.nightjar.text.TextCleaner;
import dev.nightjar.text.Tokenizer;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores one partition of input rows (id, text, time, group, corrupt record; all strings) with the
 * broadcast classifier, in batches of similar length. Every input row gives exactly one output
 * row: scored, or rejected with a reason (malformed_row, missing_id, missing_text, empty_text,
 * missing_time, bad_time). See {@link #SCHEMA}.
 */
public final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    /** Scored and rejected rows together; {@code reject} is null for a scored one. */
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("time", DataTypes.TimestampType)
            .add("group", DataTypes.StringType)
            .add("label", DataTypes.StringType)
            .add("confidence", DataTypes.DoubleType)
            .add("probabilities", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
            .add("positive_probability", DataTypes.DoubleType)
            .add("reject", DataTypes.StringType)
            .add("raw_text", DataTypes.StringType)
            .add("raw_time", DataTypes.StringType)
            .add("raw_record", DataTypes.StringType);

    private final Broadcast<byte[]> model;
    private final Tokenizer tokenizer;
    private final LabelMap labels;
    private final int positive;
    private final int maxLen;
    private final int batchSize;
    private final boolean hasTime;
    private final int threads;

    /**
     * @param positive  index of the label whose probability is the sentiment
     * @param hasTime   whether a time column was given (then a missing or bad time rejects the row)
     * @param threads   ND4J threads per task
     */
    public ScorePartition(Broadcast<byte[]> model, Tokenizer tokenizer, LabelMap labels, int positive, int maxLen, int batchSize,
                          boolean hasTime, int threads) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.labels = labels;
        this.positive = positive;
        this.maxLen = maxLen;
        this.batchSize = batchSize;
        this.hasTime = hasTime;
        this.threads = threads;
    }

    /** A row waiting in a batch. */
    private record Pending(String id, Instant time, String group, int[] ids) {
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        NativeTuning.apply(threads);
        List<Row> out = new ArrayList<>();
        List<Pending> batch = new ArrayList<>();
        // rows come back in batches: the output list never holds more than one batch and its rejects
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                fill();
                return !out.isEmpty();
            }

            @Override
            public Row next() {
                fill();
                return out.remove(out.size() - 1);
            }

            private void fill() {
                while (out.isEmpty() && (rows.hasNext() || !batch.isEmpty())) {
                    while (rows.hasNext() && batch.size() < batchSize && out.size() < batchSize) {
                        Row r = rows.next();
                        Object verdict = read(r);
                        if (verdict instanceof Pending p) {
                            batch.add(p);
                        } else {
                            out.add((Row) verdict);
                        }
                    }
                    if (batch.size() == batchSize || (!rows.hasNext() && !batch.isEmpty())) {
                        out.addAll(score(batch));
                        batch.clear();
                    }
                }
            }
        };
    }

    /** A pending document, or the reject row. */
    private Object read(Row r) {
        String id = r.isNullAt(0) ? null : r.get(0).toString();
        String text = r.isNullAt(1) ? null : r.get(1).toString();
        String rawTime = r.isNullAt(2) ? null : r.get(2).toString();
        String group = r.isNullAt(3) ? ScoreJob.ONE_GROUP : r.get(3).toString();
        if (!r.isNullAt(4)) {
            return reject(id, group, "malformed_row", text, rawTime, r.getString(4));
        }
        if (id == null || id.isBlank()) {
            return reject(id, group, "missing_id", text, rawTime, null);
        }
        if (text == null) {
            return reject(id, group, "missing_text", null, rawTime, null);
        }
        Instant time = null;
        if (hasTime) {
            if (rawTime == null || rawTime.isBlank()) {
                return reject(id, group, "missing_time", text, rawTime, null);
            }
            time = TimeParser.parse(rawTime);
            if (time == null) {
                return reject(id, group, "bad_time", text, rawTime, null);
            }
        }
        String cleaned = TextCleaner.clean(text);
        if (cleaned.isEmpty()) {
            return reject(id, group, "empty_text", text, rawTime, null);
        }
        return new Pending(id, time, group, ClassifierInput.encode(cleaned, tokenizer, maxLen).ids());
    }

    private static Row reject(String id, String group, String reason, String text, String rawTime, String raw) {
        return RowFactory.create(id, null, group, null, null, null, null, reason, text, rawTime, raw);
    }

    private MultiLayerNetwork network() {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.value()), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the broadcast model", e);
        }
    }

    private transient MultiLayerNetwork net;

    /** Scores the batch sorted by length (little padding); each row keeps its own id. */
    private List<Row> score(List<Pending> batch) {
        if (net == null) {
            net = network();
        }
        List<Pending> sorted = new ArrayList<>(batch);
        sorted.sort(Comparator.comparingInt(p -> p.ids().length));
        INDArray[] x = ClassifierInput.features(sorted.stream().map(Pending::ids).toList());
        float[] p = net.output(x[0], false, x[1], null).dup('c').data().asFloat();
        int k = labels.size();
        List<Row> rows = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            Map<String, Double> probs = new LinkedHashMap<>();
            int best = 0;
            for (int c = 0; c < k; c++) {
                probs.put(labels.name(c), (double) p[i * k + c]);
                if (p[i * k + c] > p[i * k + best]) {
                    best = c;
                }
            }
            Pending d = sorted.get(i);
            rows.add(RowFactory.create(d.id(), d.time() == null ? null : Timestamp.from(d.time()), d.group(), labels.name(best),
                    (double) p[i * k + best], scala.collection.JavaConverters.mapAsScalaMap(probs),
                    (double) p[i * k + positive], null, null, null, null));
        }
        return rows;
    }
}
