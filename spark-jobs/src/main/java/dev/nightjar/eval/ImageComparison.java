package dev.nightjar.eval;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.RecordLoaders;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.family.DatasetInfo;
import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.InputEncoding;
import dev.nightjar.model.family.MetricsKind;
import dev.nightjar.model.family.ModelFamily;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.spark.SparkSessions;
import dev.nightjar.storage.Bundles;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several classifiers of a dataset's labels on the same split of it, in one distributed pass that loads each
 * record once ({@link PairedPartition}): each model's accuracy with a 95% Wilson interval and, against a
 * reference model, the paired difference with McNemar's exact p, as {@link ModelComparison} gives them for text
 * read from documents.
 */
public final class ImageComparison {
    private ImageComparison() {
    }

    /**
     * @param data       dataset directory
     * @param split      the split every model is measured on
     * @param reference  the candidate the others are paired with, or null
     * @param partitions Spark partitions (0 = default parallelism)
     * @return per candidate, in the order given; {@code docsPerSecond} is the examples per second of the pass
     *         that classified them with every model
     */
    public static Map<String, ModelComparison.Result> run(JavaSparkContext sc, String data, String split,
                                                          List<ModelComparison.Candidate> candidates, String reference, int partitions) {
        Configuration hconf = sc.hadoopConfiguration();
        String dir = HadoopFiles.qualify(data, hconf);
        Manifest manifest = Manifest.read(dir, hconf);
        DatasetInfo info = manifest.info(dir, hconf);
        List<String> records = manifest.recordPaths(dir, split);
        if (records.isEmpty()) {
            throw new UserException("dataset " + data + " has no '" + split + "' split (it has " + manifest.splits().keySet() + ")");
        }
        int ref = -1;
        InputEncoding input = null;
        List<String> kinds = new ArrayList<>();
        List<Broadcast<byte[]>> models = new ArrayList<>();
        try {
            for (int i = 0; i < candidates.size(); i++) {
                ModelComparison.Candidate c = candidates.get(i);
                ModelBundle bundle = Bundles.load(c.model(), hconf);
                ModelFamily family = Families.of(bundle);
                if (family.metrics() != MetricsKind.CLASSIFIER) {
                    throw new UserException(c.model() + " is a " + family.name() + ", not a classifier");
                }
                info.requireFits(family, bundle, c.model(), data);
                InputEncoding mine = family.input(bundle.network());
                if (input != null && !input.equals(mine)) {
                    throw new UserException(c.model() + " reads the records as " + mine + ", the first candidate as " + input);
                }
                input = mine;
                kinds.add(family.name());
                models.add(sc.broadcast(bundle.network().toBytes(false)));
                if (c.name().equals(reference)) {
                    ref = i;
                }
            }
            int threads = SparkSessions.threadsPerTask(sc);
            NativeTuning.apply(threads);
            int parts = Math.max(1, Math.min(records.size(), partitions > 0 ? partitions : sc.defaultParallelism()));
            long t0 = System.nanoTime();
            PairedCounts counts = dev.nightjar.spark.RecordRdds.of(sc, records, parts)
                    .mapPartitions(new PairedPartition(models, RecordLoaders.evaluation(input, info, threads), ref))
                    .treeReduce(new PairedCounts.Merge());
            double perSecond = counts.examples() / ((System.nanoTime() - t0) / 1e9);
            return results(candidates, kinds, counts, ref, perSecond);
        } finally {
            models.forEach(Broadcast::destroy);
        }
    }

    static Map<String, ModelComparison.Result> results(List<ModelComparison.Candidate> candidates, List<String> kinds, PairedCounts counts,
                                                       int ref, double perSecond) {
        long n = counts.examples();
        Map<String, ModelComparison.Result> results = new LinkedHashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            long correct = counts.correct(i);
            Significance.Interval ci = Significance.wilson(correct, n);
            ModelComparison.Paired paired = null;
            if (ref >= 0 && ref != i) {
                long b = counts.onlyReference(i);
                long c = counts.onlyThis(i);
                paired = new ModelComparison.Paired(candidates.get(ref).name(), (double) (c - b) / n, b, c, Significance.mcnemarExactP(b, c));
            }
            results.put(candidates.get(i).name(), new ModelComparison.Result(kinds.get(i), n, correct, (double) correct / n, ci.low(),
                    ci.high(), paired, perSecond));
        }
        return results;
    }
}
