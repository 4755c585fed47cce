package dev.nightjar.data.text;

import dev.nightjar.data.Splits;
import dev.nightjar.model.LabelMap;
import dev.nightjar.text.TextCleaner;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.charset.StandardCharsets;

/**
 * A labelled input row (text, label, corrupt record, lines) to a document: cleaned, with its label's
 * index and its content hash for the split and the shuffle order; or the reason it cannot be used
 * (malformed_row, missing_text, missing_label, unknown_label, empty).
 */
public final class CleanLabelledRow implements MapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    public static final StructType SCHEMA = new StructType()
            .add("reject", DataTypes.StringType)
            .add("label", DataTypes.StringType)
            .add("label_index", DataTypes.IntegerType)
            .add("text", DataTypes.StringType)
            .add("unit", DataTypes.DoubleType)
            .add("order", DataTypes.LongType)
            .add("lines", DataTypes.LongType);

    private final LabelMap labels;
    private final long seed;

    public CleanLabelledRow(LabelMap labels, long seed) {
        this.labels = labels;
        this.seed = seed;
    }

    @Override
    public Row call(Row row) {
        Long lines = row.size() > 3 && !row.isNullAt(3) ? row.getLong(3) : null;
        if (!row.isNullAt(2)) {
            return rejected("malformed_row", null, lines);
        }
        String label = row.isNullAt(1) ? null : row.get(1).toString().strip();
        if (row.isNullAt(0)) {
            return rejected("missing_text", label, lines);
        }
        if (label == null || label.isEmpty()) {
            return rejected("missing_label", null, lines);
        }
        int index = labels.indexOf(label);
        if (index < 0) {
            return rejected("unknown_label", label, lines);
        }
        String text = TextCleaner.clean(row.get(0).toString());
        if (text.isEmpty()) {
            return rejected("empty", label, lines);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // the split hash and the shuffle order come from the cleaned text, so duplicates share a split
        return RowFactory.create(null, label, index, text, Splits.unit(Splits.hash(seed, bytes)), Splits.hash(seed + 1, bytes), lines);
    }

    private static Row rejected(String reason, String label, Long lines) {
        return RowFactory.create(reason, label, -1, null, 0.0, 0L, lines);
    }
}
