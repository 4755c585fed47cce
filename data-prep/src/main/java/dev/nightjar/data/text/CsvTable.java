package dev.nightjar.data.text;

import dev.nightjar.UserException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A csv input as a table ({@link TextSources#table}), read by {@link CsvRecords}: one task per file.
 * With a header, each file's own header says where each column is, so files whose columns come in
 * another order are read right, and a file that lacks a column fails, naming it, before any
 * computing starts. Without one, columns are 0-based indexes and a row has as many fields as the
 * first row of the first file.
 */
public final class CsvTable {
    private CsvTable() {
    }

    /**
     * One file to read.
     *
     * @param columns where each wanted column is in a row (-1: not wanted)
     * @param fields  the fields a well-formed row has
     * @param header  whether the file's first record is its header
     */
    public record CsvFile(String path, int[] columns, int fields, boolean header) implements Serializable {
    }

    static TextSources.Table read(SparkSession spark, List<String> inputs, List<String> files, List<String> columns, boolean byIndex) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<CsvFile> parts = new ArrayList<>();
        long headerLines = 0;
        int indexFields = -1;
        for (String file : files) {
            CsvRecords.Record first = firstRecord(file, conf);
            if (first == null) {
                continue; // an empty file has no rows
            }
            if (first.fields() == null) {
                throw new UserException("cannot read the first row of " + file + ": " + first.malformed() + " (" + shorten(first.raw()) + ")");
            }
            int[] at = new int[columns.size()];
            int fields;
            if (byIndex) {
                indexFields = indexFields < 0 ? first.fields().length : indexFields;
                fields = indexFields;
                for (int i = 0; i < columns.size(); i++) {
                    String c = columns.get(i);
                    at[i] = c == null ? -1 : Integer.parseInt(c);
                    if (at[i] >= fields) {
                        throw new UserException("column '" + c + "' not found in " + file + "; columns: 0.." + (fields - 1));
                    }
                }
            } else {
                headerLines += first.nonEmptyLines();
                List<String> header = Arrays.stream(first.fields()).map(f -> f == null ? "" : f.strip()).toList();
                fields = header.size();
                for (int i = 0; i < columns.size(); i++) {
                    String c = columns.get(i);
                    at[i] = c == null ? -1 : header.indexOf(c);
                    if (c != null && at[i] < 0) {
                        throw new UserException("column '" + c + "' not found in " + file + "; columns: " + header);
                    }
                    if (c != null && header.lastIndexOf(c) != at[i]) {
                        throw new UserException("column '" + c + "' appears more than once in the header of " + file + ": " + header);
                    }
                }
            }
            parts.add(new CsvFile(file, at, fields, !byIndex));
        }
        if (parts.isEmpty()) {
            throw new UserException("no rows in " + inputs + ": every file is empty");
        }
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(parts, parts.size()).flatMap(new ReadCsvFile());
        return new TextSources.Table(spark.createDataFrame(rows, schema(columns, byIndex)), files, "csv", headerLines);
    }

    /** The wanted columns as strings (named as asked; without a header _c0, _c1, ...), then the corrupt record and the lines. */
    static StructType schema(List<String> columns, boolean byIndex) {
        StructType schema = new StructType();
        Set<String> used = new HashSet<>(List.of(TextSources.CORRUPT, TextSources.LINES));
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            String name = c == null ? "_absent_" + i : byIndex ? "_c" + c : c;
            if (!used.add(name)) {
                name = name + "_" + i;
                used.add(name);
            }
            schema = schema.add(name, DataTypes.StringType);
        }
        return schema.add(TextSources.CORRUPT, DataTypes.StringType).add(TextSources.LINES, DataTypes.LongType);
    }

    private static CsvRecords.Record firstRecord(String file, Configuration conf) {
        try (InputStream in = InputFiles.open(file, conf)) {
            return ReadCsvFile.withoutBom(new CsvRecords(in).next());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
