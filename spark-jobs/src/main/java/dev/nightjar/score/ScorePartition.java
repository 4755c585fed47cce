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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Scores one partition of checked rows ({@link CheckRow#SCHEMA}) with the broadcast network, in
 * batches of similar length: up to {@value #POOL_BATCHES} batches' windows are sorted by length together
 * (issue 17: short sentences padded to the longest of a random batch cost 2.4x the forward pass). A
 * document longer than the model's max-len is read in parts ({@link Reading}), each scored; its
 * probabilities are the mean over its parts. Every row gives exactly one output row: scored, or its
 * reject passed through. See {@link #SCHEMA}. Row order: a partition's rows come out a batch at a time
 * (a batch ends at batchSize windows or batchSize rejects), each batch's rows in reverse input order;
 * pooling does not change it.
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
    private final int poolBatches;

    /** Batches of windows a partition gathers before it scores them together, sorted by length: see {@link #call}. */
    static final int POOL_BATCHES = 16;

    /**
     * @param positive index of the label whose probability is the sentiment
     * @param maxLen   ids the model reads at once (its max-len): a window
     * @param threads  ND4J threads per task
     */
    public ScorePartition(Broadcast<byte[]> model, Tokenizer tokenizer, LabelMap labels, int positive, int maxLen, Reading reading,
                          int threads) {
        this(model, tokenizer, labels, positive, maxLen, reading, threads, POOL_BATCHES);
    }

    /** @param poolBatches batches scored together (1: each batch alone, sorted within itself) */
    ScorePartition(Broadcast<byte[]> model, Tokenizer tokenizer, LabelMap labels, int positive, int maxLen, Reading reading, int threads,
                   int poolBatches) {
        this.poolBatches = poolBatches;
        this.model = model;
        this.tokenizer = tokenizer;
        this.labels = labels;
        this.positive = positive;
        this.maxLen = maxLen;
        this.reading = reading;
        this.threads = threads;
    }

    /** A row waiting in a batch; {@code row} is its output row once its pool is scored. */
    private static final class Pending {
        final String id;
        final Timestamp time;
        final String group;
        final ClassifierInput.Windows text;
        final Object lines;
        /** Its windows' probabilities summed, while its pool is scored. */
        double[] sum;
        Row row;

        Pending(String id, Timestamp time, String group, ClassifierInput.Windows text, Object lines) {
            this.id = id;
            this.time = time;
            this.group = group;
            this.text = text;
            this.lines = lines;
        }
    }

    /** One window of a pending document. */
    private record Window(Pending doc, int[] ids) {
    }

    /**
     * Rows come out in batches of at most batchSize windows, each batch's rejects and scored rows
     * in the same order whatever {@code poolBatches} is; up to {@code poolBatches} batches (and never
     * more than that many batches' rows waiting) are scored together, their windows sorted by length
     * across all of them, so a short sentence is not padded to the longest of its own batch.
     */
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        NativeTuning.apply(threads);
        return new Rows(rows);
    }

    /** The old batch-at-a-time order ({@code out}, emitted from its end), with scoring deferred to the pool. */
    private final class Rows implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final int batchSize = reading.batchSize();
        private final int poolWindows = batchSize * poolBatches;
        /** Rows in output order: a Row, or a Pending whose row is set when its pool is scored. */
        private final ArrayDeque<Object> ready = new ArrayDeque<>();
        private final List<Object> out = new ArrayList<>();
        private final List<Pending> batch = new ArrayList<>();
        private final List<Pending> pool = new ArrayList<>();
        private int windows;
        private int pooled;

        Rows(Iterator<Row> rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            advance();
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            advance();
            if (ready.isEmpty()) {
                throw new NoSuchElementException();
            }
            Object o = ready.removeFirst();
            return o instanceof Pending p ? p.row : (Row) o;
        }

        private boolean waiting() {
            return ready.isEmpty() || ready.peekFirst() instanceof Pending p && p.row == null;
        }

        private void advance() {
            while (waiting()) {
                if (rows.hasNext() || !batch.isEmpty()) {
                    fill();
                } else if (!pool.isEmpty()) {
                    scorePool();
                } else {
                    return;
                }
            }
        }

        /** One emission of the old iterator: read until {@code out} has rows, then hand them over from its end. */
        private void fill() {
            while (out.isEmpty() && (rows.hasNext() || !batch.isEmpty())) {
                while (rows.hasNext() && windows < batchSize && out.size() < batchSize) {
                    Row r = rows.next();
                    if (r.isNullAt(4)) {
                        Pending p = new Pending(r.getString(0), r.getTimestamp(1), r.getString(2),
                                ClassifierInput.read(r.getString(3), tokenizer, maxLen, reading.maxWindows(), reading.longDocuments()), r.get(8));
                        batch.add(p);
                        windows += p.text.windows().size();
                    } else {
                        out.add(RowFactory.create(r.get(0), null, r.get(2), null, null, null, null, null, null, r.get(4), r.get(5),
                                r.get(6), r.get(7), r.get(8)));
                    }
                }
                if (windows >= batchSize || (!rows.hasNext() && !batch.isEmpty())) {
                    out.addAll(batch);
                    pool.addAll(batch);
                    pooled += windows;
                    batch.clear();
                    windows = 0;
                    if (pooled >= poolWindows || !rows.hasNext()) {
                        scorePool();
                    }
                }
            }
            for (int i = out.size() - 1; i >= 0; i--) {
                ready.addLast(out.get(i));
            }
            out.clear();
            if (ready.size() >= poolWindows && !pool.isEmpty()) {
                scorePool(); // rejects waiting on the pool: never hold more than a pool's worth of rows
            }
        }

        private void scorePool() {
            score(pool);
            pool.clear();
            pooled = 0;
        }
    }

    /**
     * Scores the pool's parts sorted by length (little padding), at most batchSize parts and
     * batchSize × max-len padded ids at a time (a whole long document may be one part); a
     * document's probabilities are the mean over its parts. Sets each document's output row.
     */
    private void score(List<Pending> docs) {
        Network net = ExecutorNetworks.of(model);
        List<Window> windows = new ArrayList<>();
        for (Pending doc : docs) {
            for (int[] ids : doc.text.windows()) {
                windows.add(new Window(doc, ids));
            }
        }
        windows.sort(Comparator.comparingInt(w -> w.ids().length));
        int k = labels.size();
        for (Pending doc : docs) {
            doc.sum = new double[k];
        }
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
                double[] sum = chunk.get(i).doc().sum;
                for (int c = 0; c < k; c++) {
                    sum[c] += p[i * k + c];
                }
            }
        }
        for (Pending doc : docs) {
            double[] sum = doc.sum;
            doc.sum = null;
            int n = doc.text.windows().size();
            Map<String, Double> probs = new LinkedHashMap<>();
            int best = 0;
            for (int c = 0; c < k; c++) {
                probs.put(labels.name(c), sum[c] / n);
                if (sum[c] > sum[best]) {
                    best = c;
                }
            }
            doc.row = RowFactory.create(doc.id, doc.time, doc.group, labels.name(best), sum[best] / n,
                    scala.collection.JavaConverters.mapAsScalaMap(probs), sum[positive] / n, n, doc.text.truncated(), null, null, null, null,
                    doc.lines);
        }
    }
}
