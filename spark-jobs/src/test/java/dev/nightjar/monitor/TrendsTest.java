package dev.nightjar.monitor;

import dev.nightjar.UserException;
import dev.nightjar.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrendsTest {
    private static final List<String> LABELS = List.of("neg", "neu", "pos");
    private static final StructType SCHEMA = new StructType().add("id", "string").add("time", "timestamp").add("group", "string")
            .add("label", "string").add("positive_probability", "double");

    private static SparkSession spark() {
        SparkSession spark = SparkSession.builder().sparkContext(SharedSpark.get().sc()).getOrCreate();
        spark.conf().set("spark.sql.session.timeZone", "UTC");
        return spark;
    }

    /** Two groups over three days; 23:30 and 00:30 either side of a midnight; one row without a time. */
    private static Dataset<Row> scores() {
        return spark().createDataFrame(List.of(
                row("2026-01-01T09:00:00Z", "news", "pos", 0.8),
                row("2026-01-01T23:30:00Z", "news", "neg", 0.2),
                row("2026-01-02T00:30:00Z", "news", "pos", 0.9),
                row("2026-01-02T12:00:00Z", "news", "neu", 0.5),
                row("2026-01-03T08:00:00Z", "news", "pos", 0.7),
                row("2026-01-01T10:00:00Z", "blog", "neg", 0.3),
                row("2026-01-03T00:00:00Z", "blog", "pos", 0.6),
                row("2026-01-03T23:59:59Z", "blog", "neg", 0.1),
                RowFactory.create("no-time", null, "blog", "pos", 0.99)), SCHEMA);
    }

    private static Row row(String time, String group, String label, double p) {
        return RowFactory.create(group + "@" + time, Timestamp.from(Instant.parse(time)), group, label, p);
    }

    private static void assertPoint(String bucket, String group, long documents, double mean, double sd, double neg, double neu, double pos,
                                    TrendPoint p) {
        assertEquals(Instant.parse(bucket), p.bucket(), p.toString());
        assertEquals(group, p.group(), p.toString());
        assertEquals(documents, p.documents(), p.toString());
        assertEquals(mean, p.meanPositive(), 1e-12, p.toString());
        assertEquals(sd, p.sdPositive(), 1e-12, p.toString());
        assertEquals(List.of("neg", "neu", "pos"), List.copyOf(p.labelShare().keySet()), "every label, sorted");
        assertEquals(neg, p.labelShare().get("neg"), 1e-12, p.toString());
        assertEquals(neu, p.labelShare().get("neu"), 1e-12, p.toString());
        assertEquals(pos, p.labelShare().get("pos"), 1e-12, p.toString());
    }

    @Test
    void dailyBucketsSplitAtUtcMidnightWithColumnsAsDocumented() {
        Dataset<Row> trends = Trends.compute(scores(), "day", LABELS);
        assertEquals("struct<bucket_start:timestamp,group:string,documents:bigint,label_share:map<string,double>,"
                + "mean_positive_probability:double,sd_positive_probability:double>", trends.schema().simpleString());
        List<TrendPoint> p = Trends.points(trends);
        assertEquals(5, p.size(), p.toString());
        // ordered by group, then bucket
        // blog 01-01: 10:00 neg .3 (the row without a time is left out); one document: sd 0
        assertPoint("2026-01-01T00:00:00Z", "blog", 1, 0.3, 0, 1, 0, 0, p.get(0));
        // blog 01-02: nothing, so no row. blog 01-03: 00:00 pos .6 and 23:59:59 neg .1 → .5/.5, mean .35, sample sd |.6 - .1| / √2
        assertPoint("2026-01-03T00:00:00Z", "blog", 2, 0.35, 0.5 / Math.sqrt(2), 0.5, 0, 0.5, p.get(1));
        // news 01-01: 09:00 pos .8 and 23:30 neg .2 → mean .5, sd .6 / √2
        assertPoint("2026-01-01T00:00:00Z", "news", 2, 0.5, 0.6 / Math.sqrt(2), 0.5, 0, 0.5, p.get(2));
        // news 01-02: 00:30 pos .9 and 12:00 neu .5 → mean .7, sd .4 / √2
        assertPoint("2026-01-02T00:00:00Z", "news", 2, 0.7, 0.4 / Math.sqrt(2), 0, 0.5, 0.5, p.get(3));
        // news 01-03: 08:00 pos .7
        assertPoint("2026-01-03T00:00:00Z", "news", 1, 0.7, 0, 0, 0, 1, p.get(4));
    }

    @Test
    void hourlyBucketsAreUtcHours() {
        List<TrendPoint> p = Trends.points(Trends.compute(scores(), "hour", LABELS));
        assertEquals(8, p.size(), "one document per hour");
        List<Instant> news = p.stream().filter(t -> t.group().equals("news")).map(TrendPoint::bucket).toList();
        assertEquals(List.of(Instant.parse("2026-01-01T09:00:00Z"), Instant.parse("2026-01-01T23:00:00Z"),
                Instant.parse("2026-01-02T00:00:00Z"), Instant.parse("2026-01-02T12:00:00Z"), Instant.parse("2026-01-03T08:00:00Z")), news);
        assertEquals(Instant.parse("2026-01-03T23:00:00Z"), p.get(2).bucket(), "23:59:59 is in the 23:00 hour");
    }

    @Test
    void weeksStartOnMonday() {
        // 2026-01-04 is a Sunday (its week started Monday 2025-12-29); 2026-01-05 is a Monday
        Dataset<Row> rows = spark().createDataFrame(List.of(
                row("2025-12-29T00:00:00Z", "all", "neg", 0.1),
                row("2026-01-04T23:30:00Z", "all", "pos", 0.9),
                row("2026-01-05T00:30:00Z", "all", "pos", 0.8)), SCHEMA);
        List<TrendPoint> p = Trends.points(Trends.compute(rows, "week", LABELS));
        assertEquals(2, p.size(), p.toString());
        assertPoint("2025-12-29T00:00:00Z", "all", 2, 0.5, 0.8 / Math.sqrt(2), 0.5, 0, 0.5, p.get(0));
        assertPoint("2026-01-05T00:00:00Z", "all", 1, 0.8, 0, 0, 0, 1, p.get(1));
        // the whole test set falls in the week of 2025-12-29: news 5 documents, mean (.8+.2+.9+.5+.7)/5 = .62;
        // squared deviations .0324+.1764+.0784+.0144+.0064 = .308, sample sd sqrt(.308 / 4)
        TrendPoint news = Trends.points(Trends.compute(scores(), "week", LABELS)).get(1);
        assertPoint("2025-12-29T00:00:00Z", "news", 5, 0.62, Math.sqrt(0.077), 0.2, 0.2, 0.6, news);
    }

    @Test
    void anUnknownBucketNamesTheOptionAndItsValues() {
        UserException e = assertThrows(UserException.class, () -> Trends.compute(scores(), "month", LABELS));
        assertTrue(e.getMessage().contains("--bucket") && e.getMessage().contains("hour") && e.getMessage().contains("day")
                && e.getMessage().contains("week") && e.getMessage().contains("month"), e.getMessage());
    }
}
