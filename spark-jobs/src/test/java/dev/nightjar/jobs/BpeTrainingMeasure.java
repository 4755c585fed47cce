package dev.nightjar.jobs;

import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Splits;
import dev.nightjar.data.text.CountTokens;
import dev.nightjar.data.text.DocumentReader;
import dev.nightjar.data.text.RawDoc;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.data.text.TextSources;
import dev.nightjar.demo.FetchSamples;
import dev.nightjar.demo.TextDemo;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.text.Segmenter;
import dev.nightjar.text.TextCleaner;
import dev.nightjar.text.Tokenizer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A measurement, not a test (surefire does not pick it up by name): byte-level BPE on the text demo's corpus (the
 * reviews, fortunes and Jargon File that {@code demo text} prepares, its split: seed 42, validation 0.02, test 0.03).
 * Counts the train split's pieces on Spark {@code local[2]}, learns merges for 2k, 4k, 8k and 16k ids on the driver,
 * and encodes the train split with each to report characters per token.
 *
 * <pre>nice -n 19 mvn -B -o -q -pl spark-jobs -am test -Dtest=BpeTrainingMeasure -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class BpeTrainingMeasure {

    @Test
    void measure() {
        Configuration conf = SharedSpark.get().hadoopConfiguration();
        List<TextInput> inputs = TextDemo.corpus(FetchSamples.text(Path.of("..", "data", "samples"))).stream()
                .map(i -> new TextInput(i.format(), i.textCol(), i.delimiter(), i.paths().stream().map(p -> HadoopFiles.qualify(p, conf)).toList()))
                .toList();
        DocumentReader reader = new DocumentReader(42, 0.02, 0.03);
        JavaRDD<RawDoc> docs = TextSources.read(SharedSpark.get(), inputs);

        long t0 = System.nanoTime();
        List<Tuple2<String, Long>> top = docs.mapPartitionsToPair(new CountTokens(Segmenter.BPE, reader)).reduceByKey(Long::sum)
                .takeOrdered(200_000, new TextPrep.ByCountThenToken());
        double countSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> pieces = new HashMap<>();
        top.forEach(t -> pieces.put(t._1(), t._2()));

        List<String> train = new ArrayList<>();
        for (RawDoc d : docs.map(new BpeSamplesTest.CopyDoc()).collect()) {
            if (d.rejected == null && reader.split(d).equals(Splits.TRAIN)) {
                StringBuilder b = new StringBuilder();
                DocumentReader.clean(d, new TextCleaner(), b::append);
                train.add(b.toString());
            }
        }
        long chars = train.stream().mapToLong(s -> s.codePointCount(0, s.length())).sum();
        System.out.printf(Locale.ROOT, "demo corpus train split: %,d documents, %,d characters; %,d distinct pieces counted on Spark in %.1f s%n",
                train.size(), chars, pieces.size(), countSeconds);
        for (int size : new int[] {2048, 4096, 8192, 16384}) {
            long t1 = System.nanoTime();
            Tokenizer tok = Tokenizer.trainBpe(pieces, size, 2);
            double learn = (System.nanoTime() - t1) / 1e9;
            long t2 = System.nanoTime();
            long tokens = 0;
            for (String doc : train) {
                tokens += tok.encode(doc).length;
            }
            double encode = (System.nanoTime() - t2) / 1e9;
            System.out.printf(Locale.ROOT, "vocab %,6d: %,6d merges learned in %5.2f s; train split %,d tokens = %.3f characters per token "
                    + "(encoded in %.1f s, one thread)%n", tok.size(), tok.merges().size(), learn, tokens, (double) chars / tokens, encode);
        }
    }
}
