package dev.nightjar.data.text;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The rows of one csv file, streamed ({@link CsvRecords}): the wanted columns, then the raw record
 * when it is malformed (its quote never closed, or more or fewer fields than the header), else
 * null, then the non-empty physical lines it spans. The header is not a row.
 */
public final class ReadCsvFile implements FlatMapFunction<CsvTable.CsvFile, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Row> call(CsvTable.CsvFile file) throws IOException {
        InputStream in = InputFiles.open(file.path(), new Configuration());
        CsvRecords records = new CsvRecords(in);
        if (file.header()) {
            records.next();
        }
        return new Iterator<>() {
            private boolean first = !file.header();
            private CsvRecords.Record next = advance();

            private CsvRecords.Record advance() {
                try {
                    CsvRecords.Record r = records.next();
                    if (r == null) {
                        in.close();
                    } else if (first) {
                        first = false;
                        r = withoutBom(r);
                    }
                    return r;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file.path(), e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Row next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Row row = row(next, file);
                next = advance();
                return row;
            }
        };
    }

    static Row row(CsvRecords.Record r, CsvTable.CsvFile file) {
        int[] at = file.columns();
        Object[] values = new Object[at.length + 2];
        values[at.length + 1] = r.nonEmptyLines();
        if (r.fields() == null || r.fields().length != file.fields()) {
            values[at.length] = r.raw();
            return RowFactory.create(values);
        }
        for (int i = 0; i < at.length; i++) {
            values[i] = at[i] < 0 ? null : r.fields()[at[i]];
        }
        return RowFactory.create(values);
    }

    /** The record with a UTF-8 byte order mark taken off its first field. */
    static CsvRecords.Record withoutBom(CsvRecords.Record r) {
        if (r == null || r.fields() == null || r.fields().length == 0 || r.fields()[0] == null || !r.fields()[0].startsWith("\uFEFF")) {
            return r;
        }
        String[] f = r.fields().clone();
        f[0] = f[0].substring(1);
        return new CsvRecords.Record(f, null, r.lines());
    }
}
