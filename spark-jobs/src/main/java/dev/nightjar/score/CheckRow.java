package dev.nightjar.score;

import dev.nightjar.text.TextCleaner;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * Checks one input row of a scoring input (id, text, time, group, corrupt record, as strings; then
 * the physical lines it spans) before any model sees it: accepted with its cleaned text and parsed
 * time, or rejected with a reason (malformed_row, missing_id, missing_text, empty_text,
 * missing_time, bad_time, ambiguous_time) and what was read. See {@link #SCHEMA}; every classifier
 * scores these rows the same way, and passes {@code lines} through.
 */
public final class CheckRow implements MapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** The group of every row without a group column. */
    public static final String ONE_GROUP = "all";
    /** {@code reject} is null for an accepted row, whose {@code text} is cleaned. */
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("time", DataTypes.TimestampType)
            .add("group", DataTypes.StringType)
            .add("text", DataTypes.StringType)
            .add("reject", DataTypes.StringType)
            .add("raw_text", DataTypes.StringType)
            .add("raw_time", DataTypes.StringType)
            .add("raw_record", DataTypes.StringType)
            .add("lines", DataTypes.LongType);

    private final TimeParser times;

    /** @param times how the time column reads, or null without one (with one, a missing or bad time rejects the row) */
    public CheckRow(TimeParser times) {
        this.times = times;
    }

    @Override
    public Row call(Row r) {
        String id = r.isNullAt(0) ? null : r.get(0).toString();
        String text = r.isNullAt(1) ? null : r.get(1).toString();
        String rawTime = r.isNullAt(2) ? null : r.get(2).toString();
        String group = r.isNullAt(3) ? ONE_GROUP : r.get(3).toString();
        Long lines = r.size() > 5 && !r.isNullAt(5) ? Long.valueOf(r.get(5).toString()) : null;
        if (!r.isNullAt(4)) {
            return reject(id, group, "malformed_row", text, rawTime, r.get(4).toString(), lines);
        }
        if (id == null || id.isBlank()) {
            return reject(id, group, "missing_id", text, rawTime, null, lines);
        }
        if (text == null) {
            return reject(id, group, "missing_text", null, rawTime, null, lines);
        }
        Instant time = null;
        if (times != null) {
            if (rawTime == null || rawTime.isBlank()) {
                return reject(id, group, "missing_time", text, rawTime, null, lines);
            }
            TimeParser.Parsed parsed = times.parse(rawTime);
            if (parsed.reject() != null) {
                return reject(id, group, parsed.reject(), text, rawTime, null, lines);
            }
            time = parsed.time();
        }
        String cleaned = TextCleaner.clean(text);
        if (cleaned.isEmpty()) {
            return reject(id, group, "empty_text", text, rawTime, null, lines);
        }
        return RowFactory.create(id, time == null ? null : Timestamp.from(time), group, cleaned, null, null, null, null, lines);
    }

    private static Row reject(String id, String group, String reason, String text, String rawTime, String raw, Long lines) {
        return RowFactory.create(id, null, group, null, reason, text, rawTime, raw, lines);
    }
}
