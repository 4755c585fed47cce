package dev.nightjar.monitor;

import dev.nightjar.UserException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code trends/}: per time bucket (UTC; weeks start on Monday) and group, the documents scored,
 * the share of each predicted label and the mean positive probability. One aggregation over the
 * scores; the result has a row per bucket and group, not per document.
 */
public final class Trends {
    public static final List<String> BUCKETS = List.of("hour", "day", "week");

    private Trends() {
    }

    public static void checkBucket(String bucket) {
        if (!BUCKETS.contains(bucket)) {
            throw new UserException("--bucket must be one of " + BUCKETS + ", got " + bucket);
        }
    }

    /**
     * @param scores rows with time, group, label and positive_probability (rows without a time are left out)
     * @return bucket_start timestamp, group string, documents long, label_share map&lt;string,double&gt;,
     *         mean_positive_probability double; ordered by group, then bucket
     */
    public static Dataset<Row> compute(Dataset<Row> scores, String bucket, List<String> labels) {
        checkBucket(bucket);
        List<Column> aggs = new ArrayList<>();
        aggs.add(avg(col("positive_probability")).as("mean_positive_probability"));
        for (int i = 0; i < labels.size(); i++) {
            aggs.add(sum(when(col("label").equalTo(labels.get(i)), 1L).otherwise(0L)).as("n" + i));
        }
        Dataset<Row> grouped = scores.filter(col("time").isNotNull())
                .groupBy(date_trunc(bucket, col("time")).as("bucket_start"), col("group"))
                .agg(count(lit(1)).as("documents"), aggs.toArray(Column[]::new));
        List<Column> share = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            share.add(lit(labels.get(i)));
            share.add(col("n" + i).divide(col("documents")));
        }
        return grouped.select(col("bucket_start"), col("group"), col("documents"), map(share.toArray(Column[]::new)).as("label_share"),
                col("mean_positive_probability")).orderBy("group", "bucket_start");
    }

    /** The trends on the driver (a row per bucket and group). */
    public static List<TrendPoint> points(Dataset<Row> trends) {
        List<TrendPoint> points = new ArrayList<>();
        for (Row r : trends.orderBy("group", "bucket_start").collectAsList()) {
            Map<String, Double> share = new LinkedHashMap<>(r.getJavaMap(3));
            points.add(new TrendPoint(r.getTimestamp(0).toInstant(), r.getString(1), r.getLong(2), r.getDouble(4), share));
        }
        return points;
    }
}
