package dev.nightjar.data.text;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * What a plain pass over the input's physical lines counts, apart from the parser that makes rows
 * of them (Hadoop's line reader: a line ends at LF, CR or CRLF): lines, the empty ones (csv: no
 * bytes; jsonl: only white space, which Spark's JSON reader skips), and invalid UTF-8 sequences
 * (each read as U+FFFD).
 */
public record InputTally(long lines, long emptyLines, long invalidUtf8) implements Serializable {

    /** Counts the lines of {@code files} (csv or jsonl). */
    public static InputTally of(JavaSparkContext sc, List<String> files, String format) {
        if (files.isEmpty()) {
            return new InputTally(0, 0, 0);
        }
        try {
            Job job = Job.getInstance(new Configuration(sc.hadoopConfiguration()));
            job.getConfiguration().unset("textinputformat.record.delimiter");
            FileInputFormat.setInputPaths(job, files.stream().map(Path::new).toArray(Path[]::new));
            return sc.newAPIHadoopRDD(job.getConfiguration(), TextInputFormat.class, LongWritable.class, Text.class)
                    .mapPartitions(new CountLines(format.equals("jsonl")))
                    .fold(new InputTally(0, 0, 0), InputTally::plus);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + files, e);
        }
    }

    InputTally plus(InputTally o) {
        return new InputTally(lines + o.lines, emptyLines + o.emptyLines, invalidUtf8 + o.invalidUtf8);
    }

    /** Lines that hold something: those a reader makes rows (or headers) of. */
    public long nonEmptyLines() {
        return lines - emptyLines;
    }

    /** The counts of one partition's lines. */
    public static final class CountLines implements FlatMapFunction<Iterator<Tuple2<LongWritable, Text>>, InputTally> {
        private static final long serialVersionUID = 1L;
        private final boolean whiteSpaceIsEmpty;

        public CountLines(boolean whiteSpaceIsEmpty) {
            this.whiteSpaceIsEmpty = whiteSpaceIsEmpty;
        }

        @Override
        public Iterator<InputTally> call(Iterator<Tuple2<LongWritable, Text>> lines) {
            long n = 0;
            long empty = 0;
            long invalid = 0;
            Utf8Errors errors = new Utf8Errors();
            while (lines.hasNext()) {
                Text line = lines.next()._2();
                n++;
                if (empty(line.getBytes(), line.getLength(), whiteSpaceIsEmpty)) {
                    empty++;
                }
                invalid += errors.count(line.getBytes(), line.getLength());
            }
            return List.of(new InputTally(n, empty, invalid)).iterator();
        }

        static boolean empty(byte[] b, int length, boolean whiteSpaceIsEmpty) {
            if (!whiteSpaceIsEmpty) {
                return length == 0;
            }
            for (int i = 0; i < length; i++) {
                if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
                    return false;
                }
            }
            return true;
        }
    }

    /** Counts invalid UTF-8 sequences as a decoder that replaces each with U+FFFD meets them. */
    static final class Utf8Errors {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final CharBuffer out = CharBuffer.allocate(1 << 14);

        long count(byte[] b, int length) {
            boolean ascii = true;
            for (int i = 0; i < length && ascii; i++) {
                ascii = b[i] >= 0;
            }
            if (ascii) {
                return 0;
            }
            decoder.reset();
            ByteBuffer in = ByteBuffer.wrap(b, 0, length);
            long errors = 0;
            while (true) {
                out.clear();
                CoderResult r = decoder.decode(in, out, true);
                if (r.isError()) {
                    in.position(in.position() + r.length());
                    errors++;
                } else if (r.isUnderflow()) {
                    return errors;
                }
            }
        }
    }
}
