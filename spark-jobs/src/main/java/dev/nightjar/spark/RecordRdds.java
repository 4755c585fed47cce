package dev.nightjar.spark;

import dev.nightjar.data.shard.RecordList;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Record paths as an RDD, partitioned exactly as {@code sc.parallelize(records, parts)} partitions them
 * (partition i holds records i*n/parts up to (i+1)*n/parts, in order), so what is computed over it is
 * unchanged. A manifest's {@link RecordList} travels as its shard table and each partition makes its
 * own paths ({@link Slice}): the driver neither makes nor ships a string per record.
 */
public final class RecordRdds {
    private RecordRdds() {
    }

    public static JavaRDD<String> of(JavaSparkContext sc, List<String> records, int parts) {
        if (!(records instanceof RecordList list)) {
            return sc.parallelize(records, parts);
        }
        List<Integer> slices = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            slices.add(i);
        }
        return sc.parallelize(slices, parts).mapPartitions(new Slice(list, parts), true);
    }

    /** Slice i of {@code parts} of a record list, as paths, for the partitions that hold slice numbers. */
    public static final class Slice implements FlatMapFunction<Iterator<Integer>, String> {
        private static final long serialVersionUID = 1L;

        private final RecordList records;
        private final int parts;

        public Slice(RecordList records, int parts) {
            this.records = records;
            this.parts = parts;
        }

        @Override
        public Iterator<String> call(Iterator<Integer> slices) {
            List<Integer> mine = new ArrayList<>();
            slices.forEachRemaining(mine::add);
            long n = records.size();
            return mine.stream()
                    .flatMap(i -> IntStream.range((int) (i * n / parts), (int) ((i + 1) * n / parts)).mapToObj(records::get))
                    .iterator();
        }
    }
}
