package dev.nightjar.monitor;

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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrendsTest {
    private static final List<String> LABELS = List.of("neg", "pos");

    private static Dataset<Row> scores() {
        SparkSession spark = SparkSession.builder().sparkContext(SharedSpark.get().sc()).getOrCreate();
        StructType schema = new StructType().add("time", "timestamp").add("group", "string").add("label", "string")
                .add("positive_probability", "double");
        return spark.createDataFrame(List.of(
                row("2026-01-01T23:30:00Z", "news", "pos", 0.8),
                row("2026-01-02T00:30:00Z", "news", "neg", 0.2),
                row("2026-01-02T12:00:00Z", "news", "pos", 0.9),
                row("2026-01-01T10:00:00Z", "blog", "neg", 0.3),
                RowFactory.create(null, "blog", "pos", 0.99)), schema);
    }

    private static Row row(String time, String group, String label, double p) {
        return RowFactory.create(Timestamp.from(Instant.parse(time)), group, label, p);
    }

    @Test
    void dailyBucketsSplitAtUtcMidnight() {
        Dataset<Row> trends = Trends.compute(scores(), "day", LABELS);
        assertEquals("struct<bucket_start:timestamp,group:string,documents:bigint,label_share:map<string,double>,"
                + "mean_positive_probability:double>", trends.schema().simpleString());
        List<TrendPoint> p = Trends.points(trends);
        assertEquals(3, p.size(), p.toString());
        // blog 01-01: one negative at 0.3 (the row without a time is left out)
        assertEquals(new TrendPoint(Instant.parse("2026-01-01T00:00:00Z"), "blog", 1, 0.3, Map.of("neg", 1.0, "pos", 0.0)), p.get(0));
        // news 01-01: 23:30 only; news 01-02: 00:30 (neg, .2) and 12:00 (pos, .9) → shares .5/.5, mean .55
        assertEquals(new TrendPoint(Instant.parse("2026-01-01T00:00:00Z"), "news", 1, 0.8, Map.of("neg", 0.0, "pos", 1.0)), p.get(1));
        assertEquals(Instant.parse("2026-01-02T00:00:00Z"), p.get(2).bucket());
        assertEquals(2, p.get(2).documents());
        assertEquals(0.55, p.get(2).meanPositive(), 1e-12);
        assertEquals(Map.of("neg", 0.5, "pos", 0.5), p.get(2).labelShare());
    }

    @Test
    void weeksStartOnMondayAndHoursAreHours() {
        // 2026-01-01 is a Thursday: its week starts on Monday 2025-12-29
        List<TrendPoint> weeks = Trends.points(Trends.compute(scores(), "week", LABELS));
        TrendPoint news = weeks.stream().filter(t -> t.group().equals("news")).findFirst().orElseThrow();
        assertEquals(Instant.parse("2025-12-29T00:00:00Z"), news.bucket());
        assertEquals(3, news.documents());
        assertEquals((0.8 + 0.2 + 0.9) / 3, news.meanPositive(), 1e-12);
        assertEquals(2.0 / 3, news.labelShare().get("pos"), 1e-12);
        List<TrendPoint> hours = Trends.points(Trends.compute(scores(), "hour", LABELS));
        assertEquals(4, hours.size());
        assertEquals(Instant.parse("2026-01-01T23:00:00Z"), hours.get(1).bucket());
        assertThrows(dev.nightjar.UserException.class, () -> Trends.compute(scores(), "month", LABELS));
    }
}
