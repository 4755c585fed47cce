package dev.nightjar.score;

import dev.nightjar.model.LabelMap;
import dev.nightjar.model.Network;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.spark.ExecutorNetworks;
import dev.nightjar.text.ClassifierInput;
import dev.nightjar.text.Tokenizer;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores one partition of checked rows ({@link CheckRow#SCHEMA}) with the broadcast network, in
 * batches of similar length. A document longer than the model's max-len is read in parts
 * ({@link Reading}), each scored; its probabilities are the mean over its parts. Every row gives
 * exactly one output row: scored, or its reject passed through. See {@link #SCHEMA}.
 */
public final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

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
            .add("raw_record", DataTypes.StringType)
            .add("lines", DataTypes.LongType);

    private final Broadcast<byte[]> model;
    private final Tokenizer tokenizer;
    private final LabelMap labels;
    private final int positive;
    private final int maxLen;
    private final Reading reading;
    private final int threads;

    /**
     * @param positive index of the label whose probability is the sentiment
     * @param maxLen   ids the model reads at once (its max-len): a window
     * @param threads  ND4J threads per task
     */
    public ScorePartition(Broadcast<byte[]> model, Tokenizer tokenizer, LabelMap labels, int positive, int maxLen, Reading reading,
                          int threads) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.labels = labels;
        this.positive = positive;
        this.maxLen = maxLen;
        this.reading = reading;
        this.threads = threads;
    }

    /** A row waiting in a batch. */
    private record Pending(String id, Timestamp time, String group, ClassifierInput.Windows text, Object lines) {
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
        int batchSize = reading.batchSize();
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
                        if (r.isNullAt(4)) {
                            Pending p = new Pending(r.getString(0), r.getTimestamp(1), r.getString(2),
                                    ClassifierInput.read(r.getString(3), tokenizer, maxLen, reading.maxWindows(), reading.longDocuments()), r.get(8));
                            batch.add(p);
                            windows[0] += p.text().windows().size();
                        } else {
                            out.add(RowFactory.create(r.get(0), null, r.get(2), null, null, null, null, null, null, r.get(4), r.get(5),
                                    r.get(6), r.get(7), r.get(8)));
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

    /**
     * Scores the batch's parts sorted by length (little padding), at most batchSize parts and
     * batchSize × max-len padded ids at a time (a whole long document may be one part); a
     * document's probabilities are the mean over its parts.
     */
    private List<Row> score(List<Pending> batch) {
        Network net = ExecutorNetworks.of(model);
        List<Window> windows = new ArrayList<>();
        for (int d = 0; d < batch.size(); d++) {
            for (int[] ids : batch.get(d).text().windows()) {
                windows.add(new Window(d, ids));
            }
        }
        windows.sort(Comparator.comparingInt(w -> w.ids().length));
        int k = labels.size();
        double[] sum = new double[batch.size() * k];
        long idsPerBatch = (long) reading.batchSize() * maxLen;
        for (int from = 0, to; from < windows.size(); from = to) {
            to = from + 1;
            while (to < windows.size() && to - from < reading.batchSize() && (long) (to - from + 1) * windows.get(to).ids().length <= idsPerBatch) {
                to++;
            }
            List<Window> chunk = windows.subList(from, to);
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
            rows.add(RowFactory.create(doc.id(), doc.time(), doc.group(), labels.name(best),
                    sum[d * k + best] / n, scala.collection.JavaConverters.mapAsScalaMap(probs), sum[d * k + positive] / n, n,
                    doc.text().truncated(), null, null, null, null, doc.lines()));
        }
        return rows;
    }
}
