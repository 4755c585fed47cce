package dev.nightjar.score;

import dev.nightjar.model.LabelMap;
import dev.nightjar.model.Network;
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
import org.nd4j.linalg.api.ndarray.INDArray;

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
 * broadcast classifier, in batches of similar length. A document longer than the model's max-len is
 * read as consecutive windows (up to {@code maxWindows}), each scored; its probabilities are the
 * mean over its windows. Every input row gives exactly one output
 * row: scored, or rejected with a reason (malformed_row, missing_id, missing_text, empty_text,
 * missing_time, bad_time). See {@link #SCHEMA}.
 */
public final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** The group of every row without a group column. */
    public static final String ONE_GROUP = "all";
    /** Scored and rejected rows together; {@code reject} is null for a scored one. */
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("time", DataTypes.TimestampType)
            .add("group", DataTypes.StringType)
            .add("label", DataTypes.StringType)
            .add("confidence", DataTypes.DoubleType)
            .add("probabilities", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
            .add("positive_probability", DataTypes.DoubleType)
            .add("windows", DataTypes.IntegerType)
            .add("truncated", DataTypes.BooleanType)
            .add("reject", DataTypes.StringType)
            .add("raw_text", DataTypes.StringType)
            .add("raw_time", DataTypes.StringType)
            .add("raw_record", DataTypes.StringType);

    private final Broadcast<byte[]> model;
    private final Tokenizer tokenizer;
    private final LabelMap labels;
    private final int positive;
    private final int maxLen;
    private final int maxWindows;
    private final int batchSize;
    private final boolean hasTime;
    private final int threads;

    /**
     * @param positive  index of the label whose probability is the sentiment
     * @param maxLen    ids the model reads at once (its max-len): a window
     * @param maxWindows windows read of a long document at most; 1 reads only its beginning
     * @param batchSize windows per inference batch
     * @param hasTime   whether a time column was given (then a missing or bad time rejects the row)
     * @param threads   ND4J threads per task
     */
    public ScorePartition(Broadcast<byte[]> model, Tokenizer tokenizer, LabelMap labels, int positive, int maxLen, int maxWindows,
                          int batchSize, boolean hasTime, int threads) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.labels = labels;
        this.positive = positive;
        this.maxLen = maxLen;
        this.maxWindows = maxWindows;
        this.batchSize = batchSize;
        this.hasTime = hasTime;
        this.threads = threads;
    }

    /** A row waiting in a batch. */
    private record Pending(String id, Instant time, String group, ClassifierInput.Windows text) {
    }

    /** One window of a pending document. */
    private record Window(int doc, int[] ids) {
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        NativeTuning.apply(threads);
        List<Row> out = new ArrayList<>();
        List<Pending> batch = new ArrayList<>();
        int[] windows = {0};
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
                    while (rows.hasNext() && windows[0] < batchSize && out.size() < batchSize) {
                        Row r = rows.next();
                        Object verdict = read(r);
                        if (verdict instanceof Pending p) {
                            batch.add(p);
                            windows[0] += p.text().windows().size();
                        } else {
                            out.add((Row) verdict);
                        }
                    }
                    if (windows[0] >= batchSize || (!rows.hasNext() && !batch.isEmpty())) {
                        out.addAll(score(batch));
                        batch.clear();
                        windows[0] = 0;
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
        String group = r.isNullAt(3) ? ONE_GROUP : r.get(3).toString();
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
        return new Pending(id, time, group, ClassifierInput.windows(cleaned, tokenizer, maxLen, maxWindows));
    }

    private static Row reject(String id, String group, String reason, String text, String rawTime, String raw) {
        return RowFactory.create(id, null, group, null, null, null, null, null, null, reason, text, rawTime, raw);
    }

    private Network network() {
        try {
            return Network.fromBytes(model.value(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the broadcast model", e);
        }
    }

    private transient Network net;

    /** Scores the batch's windows sorted by length (little padding), batchSize at a time; a document's probabilities are the mean over its windows. */
    private List<Row> score(List<Pending> batch) {
        if (net == null) {
            net = network();
        }
        List<Window> windows = new ArrayList<>();
        for (int d = 0; d < batch.size(); d++) {
            for (int[] ids : batch.get(d).text().windows()) {
                windows.add(new Window(d, ids));
            }
        }
        windows.sort(Comparator.comparingInt(w -> w.ids().length));
        int k = labels.size();
        double[] sum = new double[batch.size() * k];
        for (int from = 0; from < windows.size(); from += batchSize) {
            List<Window> chunk = windows.subList(from, Math.min(windows.size(), from + batchSize));
            INDArray[] x = ClassifierInput.features(chunk.stream().map(Window::ids).toList());
            float[] p = net.output(x[0], x[1]).dup('c').data().asFloat();
            for (int i = 0; i < chunk.size(); i++) {
                for (int c = 0; c < k; c++) {
                    sum[chunk.get(i).doc() * k + c] += p[i * k + c];
                }
            }
        }
        List<Row> rows = new ArrayList<>(batch.size());
        for (int d = 0; d < batch.size(); d++) {
            Pending doc = batch.get(d);
            int n = doc.text().windows().size();
            Map<String, Double> probs = new LinkedHashMap<>();
            int best = 0;
            for (int c = 0; c < k; c++) {
                probs.put(labels.name(c), sum[d * k + c] / n);
                if (sum[d * k + c] > sum[d * k + best]) {
                    best = c;
                }
            }
            rows.add(RowFactory.create(doc.id(), doc.time() == null ? null : Timestamp.from(doc.time()), doc.group(), labels.name(best),
                    sum[d * k + best] / n, scala.collection.JavaConverters.mapAsScalaMap(probs), sum[d * k + positive] / n, n,
                    doc.text().truncated(), null, null, null, null));
        }
        return rows;
    }
}
