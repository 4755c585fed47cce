package dev.nightjar.data.text;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a corpus as documents. Paths may be local or {@code hdfs://}, files, directories or
 * globs. Formats: {@code lines} (one document per line, LF or CRLF, or per custom delimiter), {@code text} (one per file),
 * {@code csv} (a header naming {@code textCol}, or none when {@code textCol} is a 0-based index),
 * {@code jsonl} and {@code parquet} (a named column). Every path and the column are checked
 * before any computing starts.
 */
public final class TextSources {
    public static final List<String> FORMATS = List.of("lines", "text", "csv", "jsonl", "parquet");
    /** The column holding a record the reader found malformed. */
    public static final String CORRUPT = "_corrupt_record";
    /** The column holding the non-empty physical input lines a row spans. */
    public static final String LINES = "_lines";

    private TextSources() {
    }

    /** The documents of every input, in order; every input is checked before any is read. */
    public static JavaRDD<RawDoc> read(JavaSparkContext sc, List<TextInput> inputs) {
        if (inputs.isEmpty()) {
            throw new UserException("no --input given");
        }
        inputs.forEach(in -> checkExists(in.paths(), sc.hadoopConfiguration()));
        List<JavaRDD<RawDoc>> parts = inputs.stream().map(in -> read(sc, in)).toList();
        JavaRDD<RawDoc> all = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            all = all.union(parts.get(i));
        }
        return all;
    }

    private static JavaRDD<RawDoc> read(JavaSparkContext sc, TextInput in) {
        String format = in.format();
        if (!FORMATS.contains(format)) {
            throw new UserException("unknown --format '" + format + "' (expected one of " + FORMATS + ")");
        }
        if (in.delimiter() != null && !format.equals("lines")) {
            throw new UserException("a document delimiter applies to --format lines only, not " + format);
        }
        String paths = String.join(",", in.paths());
        switch (format) {
            case "lines":
                Configuration conf = new Configuration(sc.hadoopConfiguration());
                if (in.delimiter() != null) {
                    conf.set("textinputformat.record.delimiter", in.delimiter());
                }
                return sc.newAPIHadoopFile(paths, TextInputFormat.class, LongWritable.class, Text.class, conf).map(new LineToDoc());
            case "text":
                return sc.binaryFiles(paths, sc.defaultParallelism()).map(new FileToDoc());
            default:
                return columnDocs(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), in.paths(), format, in.textCol());
        }
    }

    private static JavaRDD<RawDoc> columnDocs(SparkSession spark, List<String> inputs, String format, String textCol) {
        if (textCol == null || textCol.isBlank()) {
            throw new UserException("--format " + format + " needs --text-col");
        }
        return table(spark, inputs, format, Arrays.asList(textCol)).rows().toJavaRDD().map(new RowToDoc());
    }

    /**
     * The given columns of a csv, jsonl or parquet input, in order, then {@value #CORRUPT}: the raw
     * record when the reader found it malformed (a csv row whose quote never closes, or with too many
     * or too few fields; a line that is not JSON), else null; then {@value #LINES}: the non-empty
     * physical lines the row spans (csv, jsonl; null for parquet), which {@link #count} checks against
     * a plain count of the input's lines. A column that is null here is absent (a null column is
     * returned). A csv has a header naming the columns, each file its own (columns are found by
     * name in each file), or none when every column is a 0-based index ({@link CsvTable}). Paths and
     * columns are checked before any computing starts; a missing column fails with those that exist.
     */
    public static Table table(SparkSession spark, List<String> inputs, String format, List<String> columns) {
        if (!List.of("csv", "jsonl", "parquet").contains(format)) {
            throw new UserException("--format " + format + " has no columns (expected csv, jsonl or parquet)");
        }
        checkExists(inputs, spark.sparkContext().hadoopConfiguration());
        List<String> named = columns.stream().filter(java.util.Objects::nonNull).toList();
        boolean byIndex = format.equals("csv") && !named.isEmpty() && named.stream().allMatch(c -> c.matches("\\d+"));
        if (format.equals("csv")) {
            return CsvTable.read(spark, inputs, InputFiles.list(inputs, spark.sparkContext().hadoopConfiguration()), columns, byIndex);
        }
        List<String> files = format.equals("jsonl") ? InputFiles.list(inputs, spark.sparkContext().hadoopConfiguration()) : List.of();
        Dataset<Row> df = format.equals("jsonl") ? spark.read().json(files.toArray(String[]::new))
                : spark.read().parquet(inputs.toArray(String[]::new));
        List<String> existing = Arrays.asList(df.columns());
        List<Column> selected = new java.util.ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            if (c == null) {
                selected.add(functions.lit(null).cast("string").as("_absent_" + i));
                continue;
            }
            if (!existing.contains(c)) {
                List<String> shown = existing.stream().filter(e -> !e.equals(CORRUPT)).toList();
                throw new UserException("column '" + c + "' not found in " + inputs + "; columns: " + shown);
            }
            selected.add(functions.col(c));
        }
        selected.add(existing.contains(CORRUPT) ? functions.col(CORRUPT) : functions.lit(null).cast("string").as(CORRUPT));
        selected.add((format.equals("jsonl") ? functions.lit(1L) : functions.lit(null).cast("long")).as(LINES));
        return new Table(df.select(selected.toArray(Column[]::new)), files, format, 0);
    }

    /**
     * A csv, jsonl or parquet input read as rows ({@link #table}).
     *
     * @param files       the files read (csv, jsonl)
     * @param headerLines the non-empty lines of the csv headers, which are no rows
     */
    public record Table(Dataset<Row> rows, List<String> files, String format, long headerLines) {
    }

    /**
     * Counts the input of {@code table} apart from its reader ({@link InputTally}: its physical lines
     * and invalid UTF-8) and compares the lines with those the rows that came out of it span
     * ({@code linesInRows}, the sum of {@value #LINES}). Parquet has no lines: only its rows are known.
     */
    public static InputCount count(JavaSparkContext sc, Table table, long linesInRows) {
        if (table.format().equals("parquet")) {
            return new InputCount(null, null, null, null, null, 0);
        }
        InputTally t = InputTally.of(sc, table.files(), table.format());
        long expected = t.nonEmptyLines() - table.headerLines();
        return new InputCount(t.lines(), t.emptyLines(), table.headerLines(), linesInRows, expected - linesInRows, t.invalidUtf8());
    }

    /**
     * The input as counted apart from its reader, beside what the rows account for.
     *
     * @param inputLines       physical lines in the input files (null: parquet)
     * @param emptyLines       of which empty (csv) or only white space (jsonl): no row
     * @param headerLines      of which csv header lines: no row
     * @param linesInRows      lines the rows read (scored, kept, rejected or dropped) span
     * @param unaccountedLines input lines no row accounts for (0 unless rows were lost; below 0 when a line made more than one row)
     * @param invalidUtf8      invalid UTF-8 sequences in the input, each read as U+FFFD
     */
    public record InputCount(Long inputLines, Long emptyLines, Long headerLines, Long linesInRows, Long unaccountedLines,
                             long invalidUtf8) implements java.io.Serializable {
        /** Whether the rows account for every line of the input (always for parquet). */
        public boolean balanced() {
            return unaccountedLines == null || unaccountedLines == 0;
        }
    }

    /** Fails, naming the path, unless every path or glob matches something. */
    public static void checkExists(List<String> inputs, Configuration conf) {
        if (inputs.isEmpty()) {
            throw new UserException("no --input given");
        }
        for (String in : inputs) {
            try {
                FileStatus[] found = HadoopFiles.fs(in, conf).globStatus(new Path(in));
                if (found == null || found.length == 0) {
                    throw new UserException("input not found: " + in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + in, e);
            }
        }
    }

    /** A line (without its LF or CRLF) as raw bytes: the reader's buffer itself, valid until the next line is read. */
    public static final class LineToDoc implements Function<Tuple2<LongWritable, Text>, RawDoc> {
        private static final long serialVersionUID = 1L;

        @Override
        public RawDoc call(Tuple2<LongWritable, Text> line) {
            return RawDoc.ofBytes(line._2().getBytes(), line._2().getLength());
        }
    }

    /** A whole file as raw bytes. */
    public static final class FileToDoc implements Function<Tuple2<String, PortableDataStream>, RawDoc> {
        private static final long serialVersionUID = 1L;

        @Override
        public RawDoc call(Tuple2<String, PortableDataStream> file) {
            return RawDoc.ofBytes(file._2().toArray());
        }
    }

    /** (text, corrupt record) to a document: a malformed row or a missing text is a rejected document. */
    public static final class RowToDoc implements Function<Row, RawDoc> {
        private static final long serialVersionUID = 1L;

        @Override
        public RawDoc call(Row row) {
            if (!row.isNullAt(1)) {
                return RawDoc.rejected("malformed_row");
            }
            return row.isNullAt(0) ? RawDoc.rejected("missing_text") : RawDoc.ofText(row.get(0).toString());
        }
    }
}
