package dev.nightjar.monitor;

import dev.nightjar.UserException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code trends/}: per time bucket (UTC; weeks start on Monday) and group, the documents scored,
 * the share of each predicted label, and the mean and sample standard deviation of the positive
 * probability (the spread lets alerts judge a mean against its sampling noise). One aggregation over the
 * scores; the result has a row per bucket and group, not per document.
 */
public final class Trends {
    /** The allowed buckets: {@code hour}, {@code day}, {@code week}. */
    public static final List<String> BUCKETS = List.of("hour", "day", "week");

    /** The columns of the scores that trends read. */
    public static final List<String> INPUT_COLUMNS = List.of("time", "group", "label", "positive_probability");

    private Trends() {
    }

    /**
     * @param bucket the value of {@code --bucket}
     * @throws UserException naming {@code --bucket} and the allowed values when it is not one of {@link #BUCKETS}
     */
    public static void checkBucket(String bucket) {
        if (!BUCKETS.contains(bucket)) {
            throw new UserException("--bucket must be one of " + BUCKETS + ", got " + bucket);
        }
    }

    /**
     * The trends of some scores, in one aggregation pass (groupBy bucket and group).
     *
     * @param scores rows with time, group, label and positive_probability (rows without a time are left out)
     * @param bucket hour, day or week; the bucket of a time is {@code date_trunc(bucket, time)} in the
     *               session time zone (UTC in Nightjar), so weeks start on Monday
     * @param labels the model's labels: every one gets a share, 0.0 when no document was predicted as it
     * @return bucket_start timestamp, group string, documents long, label_share map&lt;string,double&gt;,
     *         mean_positive_probability double, sd_positive_probability double (sample sd, n − 1; 0 for one
     *         document); ordered by group, then bucket
     * @throws UserException when the bucket is not hour, day or week
     * @throws IllegalArgumentException when the scores lack a column trends read
     */
    public static Dataset<Row> compute(Dataset<Row> scores, String bucket, List<String> labels) {
        checkBucket(bucket);
        List<String> missing = INPUT_COLUMNS.stream().filter(c -> !List.of(scores.columns()).contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("scores lack the columns " + missing + " (they have " + List.of(scores.columns()) + ")");
        }
        List<Column> aggs = new ArrayList<>();
        aggs.add(avg(col("positive_probability")).as("mean_positive_probability"));
        aggs.add(coalesce(stddev_samp(col("positive_probability")), lit(0.0)).as("sd_positive_probability"));
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
                col("mean_positive_probability"), col("sd_positive_probability")).orderBy("group", "bucket_start");
    }

    /**
     * The trends on the driver, ordered by group, then bucket; each label share map sorted by label.
     * Their size is buckets × groups, not the number of documents.
     *
     * @param trends the output of {@link #compute}
     */
    public static List<TrendPoint> points(Dataset<Row> trends) {
        List<TrendPoint> points = new ArrayList<>();
        for (Row r : trends.orderBy("group", "bucket_start").collectAsList()) {
            // a Spark map comes back as a Scala hash map for more than 4 keys: sort the labels so the order is stable
            Map<String, Double> share = new TreeMap<>(r.getJavaMap(3));
            points.add(new TrendPoint(r.getTimestamp(0).toInstant(), r.getString(1), r.getLong(2), r.getDouble(4), r.getDouble(5), share));
        }
        return points;
    }
}
