package dev.nightjar.data.image;

import dev.nightjar.UserException;
import dev.nightjar.data.HadoopFiles;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Splits;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.LabelMap;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prepares an image dataset: IDX files or a folder of class subfolders → decode → split →
 * shuffle → compact shards + manifest.json + labels.json + prep-report.json. The output is
 * built in a temporary directory and renamed into place when complete.
 */
public final class ImagePrep {
    public static final String REPORT_FILE = "prep-report.json";
    private static final Logger LOG = LoggerFactory.getLogger(ImagePrep.class);
    private static final int IDX_SLICE = 5000;
    private static final int MAX_LISTED_REJECTS = 1000;

    /**
     * @param input         IDX images file, or a folder with one subfolder per class
     * @param output        dataset directory to create
     * @param allTest       put every record in the test split
     * @param valFraction   share of examples for validation (ignored when allTest)
     * @param seed          split and shuffle seed
     * @param folderShape   shape images from folders are converted to
     * @param batchSize     examples per shard record
     * @param shardExamples examples per shard file
     * @param labels        fixed label map (e.g. a model's), or null to derive one from the input
     * @param overwrite     replace an existing output
     * @param selection     the classes kept and the examples per class (--classes, --per-class)
     */
    public record Options(String input, String output, boolean allTest, double valFraction, long seed,
                          ImageShape folderShape, int batchSize, int shardExamples, LabelMap labels, boolean overwrite,
                          ClassSelection selection) {
        public Options {
            selection = selection == null ? ClassSelection.ALL : selection;
            if (selection.selectsClasses() && labels != null) {
                throw new UserException("--classes and --labels-from cannot be combined: a model's label order keeps all its classes");
            }
        }

        /** Every class, every example. */
        public Options(String input, String output, boolean allTest, double valFraction, long seed,
                       ImageShape folderShape, int batchSize, int shardExamples, LabelMap labels, boolean overwrite) {
            this(input, output, allTest, valFraction, seed, folderShape, batchSize, shardExamples, labels, overwrite, ClassSelection.ALL);
        }

        public Options withSelection(ClassSelection s) {
            return new Options(input, output, allTest, valFraction, seed, folderShape, batchSize, shardExamples, labels, overwrite, s);
        }
    }

    /** What the job did, for the console. */
    public record Result(Manifest manifest, PrepReport report) {
    }

    private final JavaSparkContext sc;
    private final Configuration conf;

    public ImagePrep(JavaSparkContext sc) {
        this.sc = sc;
        this.conf = sc.hadoopConfiguration();
    }

    public Result run(Options o) {
        String input = HadoopFiles.qualify(o.input(), conf);
        String output = HadoopFiles.qualify(o.output(), conf);
        FileSystem fs = HadoopFiles.fs(input, conf);
        FileStatus status;
        try {
            status = fs.getFileStatus(new Path(input));
        } catch (java.io.FileNotFoundException e) {
            throw new UserException("input not found: " + o.input());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (HadoopFiles.exists(output, conf) && !o.overwrite()) {
            throw new UserException("output already exists: " + o.output() + " (use --overwrite to replace it)");
        }

        Source src = status.isDirectory() ? folderSource(input, o) : idxSource(input, output, o);
        JavaRDD<PreparedImage> split = src.images.map(new AssignSplit(o.seed(), o.valFraction(), o.allTest()))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            LabelMap inputLabels = inputLabels(split, src, o);
            int[] relabel = o.selection().relabel(inputLabels, o.input());
            JavaRDD<PreparedImage> all = o.selection().selectsClasses() ? split.map(new SelectClasses(relabel)) : split;
            if (o.selection().perClass() > 0) {
                all = all.map(new CapPerClass(perClassThresholds(all, o), o.seed()));
            }
            return write(all, src, o.selection().selectsClasses() ? o.selection().labels(inputLabels, o.input()) : inputLabels,
                    input, output, o);
        } finally {
            split.unpersist(false);
            if (src.scratch() != null) {
                HadoopFiles.delete(src.scratch(), conf);
            }
        }
    }

    /** The input's label map (given, read beside the input, or numbered up to the highest label), checked against the labels seen. */
    private LabelMap inputLabels(JavaRDD<PreparedImage> split, Source src, Options o) {
        boolean any = !split.filter(new IsKept()).isEmpty();
        int maxLabel = any ? split.filter(new IsKept()).map(new LabelOf()).reduce(Math::max) : 0;
        LabelMap labels = src.labels() != null ? src.labels() : numericLabels(maxLabel);
        if (maxLabel >= labels.size()) {
            throw new UserException(o.input() + " has label " + maxLabel + " but only " + labels.size() + " label names " + labels);
        }
        return labels;
    }

    /**
     * For --per-class: the highest seeded rank kept in each (split, class) group that holds more than its
     * cap. Only the cap's smallest ranks of each group travel to the driver.
     */
    private static Map<String, Long> perClassThresholds(JavaRDD<PreparedImage> selected, Options o) {
        int n = o.selection().perClass();
        int val = ClassSelection.validationCap(n, o.allTest() ? 0 : o.valFraction());
        Map<String, SmallestRanks> lowest = selected.filter(new IsKept()).mapToPair(new ClassRank(o.seed()))
                .aggregateByKey(new SmallestRanks(Math.max(n, val)), new SmallestRanks.Add(), new SmallestRanks.Merge()).collectAsMap();
        Map<String, Long> thresholds = new TreeMap<>();
        lowest.forEach((group, ranks) -> {
            int cap = group.startsWith(Splits.VALIDATION + ":") ? val : n;
            if (ranks.size() >= cap) {
                thresholds.put(group, ranks.nth(cap));
            }
        });
        return thresholds;
    }

    /**
     * @param hidden  files Hadoop skips for their names, reported as skipped (none for IDX input)
     * @param scratch a directory of this run's own to delete when it ends (gunzipped IDX input), or null
     */
    private record Source(JavaRDD<PreparedImage> images, ImageShape shape, LabelMap labels, HiddenFiles hidden, String scratch) {
    }

    private Result write(JavaRDD<PreparedImage> all, Source src, LabelMap labels, String input, String output, Options o) {
        Map<String, Long> counts = new TreeMap<>(all.map(new OutcomeOf()).countByValue());
        List<PreparedImage> rejectSample = new ArrayList<>();
        if (src.hidden().count() > 0) {
            counts.merge("rejected:" + OutcomeOf.reasonClass(HiddenFiles.REASON), src.hidden().count(), Long::sum);
            src.hidden().sample().forEach(f -> rejectSample.add(PreparedImage.rejected(f, HiddenFiles.REASON)));
            LOG.warn("{} files in {} are skipped for their names (starting with '.' or '_'), e.g. {}", src.hidden().count(), input,
                    src.hidden().sample().subList(0, Math.min(5, src.hidden().sample().size())));
        }
        rejectSample.addAll(all.filter(new IsRejected()).take(MAX_LISTED_REJECTS - rejectSample.size()));

        String tmp = HadoopFiles.tempSibling(output);
        String shardDir = tmp + "/" + Manifest.SHARD_DIR;
        List<ShardInfo> shards = new ArrayList<>();
        Map<String, Manifest.SplitCounts> splits = new LinkedHashMap<>();
        try {
            for (String split : List.of(Splits.TRAIN, Splits.VALIDATION, Splits.TEST)) {
                long n = PrepReport.inSplit(counts, split);
                if (n == 0) {
                    continue;
                }
                int parts = (int) Math.max(1, (n + o.shardExamples() - 1) / o.shardExamples());
                List<ShardInfo> written = all.filter(new InSplit(split))
                        .mapToPair(new ShuffleKey(o.seed()))
                        .repartitionAndSortWithinPartitions(new HashPartitioner(parts))
                        .mapPartitionsWithIndex(new ShardPartitionWriter(shardDir, split, src.shape(), o.batchSize()), false)
                        .collect();
                shards.addAll(written);
                splits.put(split, new Manifest.SplitCounts(n, written.stream().mapToLong(ShardInfo::records).sum(), 0));
            }
            if (shards.isEmpty()) {
                throw new UserException("no images kept from " + o.input() + " (dropped: " + rejectSummary(counts) + ")");
            }
            shards.sort(Comparator.comparing(ShardInfo::file));

            Map<String, Object> prepConfig = new LinkedHashMap<>();
            prepConfig.put("split", o.allTest() ? "test" : "train");
            prepConfig.put("val_fraction", o.allTest() ? 0.0 : o.valFraction());
            prepConfig.put("seed", o.seed());
            prepConfig.put("batch_size", o.batchSize());
            prepConfig.put("shard_examples", o.shardExamples());
            if (o.selection().selectsClasses()) {
                prepConfig.put("classes", labels.labels());
            }
            if (o.selection().perClass() > 0) {
                prepConfig.put("per_class", o.selection().perClass());
            }
            Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, "image", Instant.now().toString(), src.shape(),
                    labels.size(), o.batchSize(), splits, shards, List.of(input), Manifest.contentHash(shards), prepConfig, null);
            manifest.write(tmp, conf);
            HadoopFiles.writeString(tmp + "/" + LabelMap.FILE, Json.write(labels) + "\n", conf);
            PrepReport report = PrepReport.of(input, counts, rejectSample, labels);
            HadoopFiles.writeString(tmp + "/" + REPORT_FILE, Json.write(report) + "\n", conf);
            HadoopFiles.publishDir(tmp, output, conf);
            LOG.info("prepared {}: {} shards, splits {}", output, shards.size(), splits);
            return new Result(manifest, report);
        } catch (RuntimeException e) {
            HadoopFiles.delete(tmp, conf);
            throw e;
        }
    }

    private Source idxSource(String imagesUri, String output, Options o) {
        String images = imagesUri;
        String labelsUri = IdxFile.labelsFileFor(images);
        if (!HadoopFiles.exists(labelsUri, conf)) {
            throw new UserException("labels file not found next to " + images + ": expected " + labelsUri);
        }
        IdxFile.Header ih = header(images);
        IdxFile.Header lh = header(labelsUri);
        if (ih.magic() != IdxFile.IMAGES_MAGIC || lh.magic() != IdxFile.LABELS_MAGIC) {
            throw new UserException(images + " and " + labelsUri + " are not an IDX images/labels pair");
        }
        if (ih.count() != lh.count()) {
            throw new UserException(images + " has " + ih.count() + " images but " + labelsUri + " has " + lh.count() + " labels");
        }
        List<long[]> slices = new ArrayList<>();
        for (long s = 0; s < ih.count(); s += IDX_SLICE) {
            slices.add(new long[] {s, Math.min(ih.count(), s + IDX_SLICE)});
        }
        LabelMap labels = o.labels() != null ? o.labels() : labelNamesBeside(images);
        String scratch = null;
        if (slices.size() > 1 && (gzipped(images) || gzipped(labelsUri))) {
            // a slice of a gzipped file inflates everything before it: quadratic in the file. Inflate it once.
            scratch = HadoopFiles.tempSibling(output) + "-idx";
            images = gunzip(images, scratch);
            labelsUri = gunzip(labelsUri, scratch);
        }
        JavaRDD<PreparedImage> rdd = sc.parallelize(slices, Math.max(1, slices.size())).flatMap(new IdxSliceReader(images, labelsUri, imagesUri));
        return new Source(rdd, new ImageShape(1, ih.rows(), ih.cols()), labels, new HiddenFiles(0, List.of()), scratch);
    }

    private boolean gzipped(String uri) {
        Path p = new Path(uri);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw new UserException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Inflates an IDX file into {@code dir} (on the output's file system, which executors read), by the same name without .gz. */
    private String gunzip(String uri, String dir) {
        Path from = new Path(uri);
        Path to = new Path(dir, from.getName().replaceFirst("\\.gz$", ""));
        try (InputStream in = IdxFile.maybeGunzip(from.getFileSystem(conf).open(from));
             java.io.OutputStream out = to.getFileSystem(conf).create(to, false)) {
            in.transferTo(out);
        } catch (java.io.EOFException e) {
            throw new UserException(uri + " is truncated (its gzip stream ends early)");
        } catch (IOException e) {
            throw new UserException("cannot inflate " + uri + " into " + dir + ": " + e.getMessage(), e);
        }
        LOG.info("inflated {} once into {} (slices of a gzipped file would each inflate it from the start)", uri, to);
        return to.toString();
    }

    private Source folderSource(String dir, Options o) {
        FileSystem fs = HadoopFiles.fs(dir, conf);
        List<String> folders;
        try {
            folders = Arrays.stream(fs.listStatus(new Path(dir))).filter(FileStatus::isDirectory)
                    .map(s -> s.getPath().getName()).filter(n -> !n.startsWith(".") && !n.startsWith("_")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (folders.size() < 2) {
            throw new UserException(dir + " must hold one subfolder per class (found " + folders.size() + ")");
        }
        LabelMap labels = o.labels() != null ? o.labels() : new LabelMap(folders);
        List<String> unknown = folders.stream().filter(f -> labels.indexOf(f) < 0).toList();
        if (!unknown.isEmpty()) {
            LOG.warn("folders that are not labels of {} are reported and skipped: {}", labels, unknown);
        }
        JavaRDD<PreparedImage> rdd = sc.binaryFiles(dir + "/*/*").map(new ImageFileDecoder(labels.toIndex(), o.folderShape()));
        return new Source(rdd, o.folderShape(), labels, HiddenFiles.in(fs, new Path(dir), MAX_LISTED_REJECTS), null);
    }

    private IdxFile.Header header(String uri) {
        Path p = new Path(uri);
        try (InputStream in = IdxFile.maybeGunzip(p.getFileSystem(conf).open(p))) {
            return IdxFile.readHeader(new DataInputStream(in), uri);
        } catch (java.io.EOFException e) {
            throw new UserException(uri + " is truncated (no complete IDX header)");
        } catch (IOException e) {
            throw new UserException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    /** {@code labels.txt} beside an IDX file names the classes, one per line; else null. */
    private LabelMap labelNamesBeside(String images) {
        String uri = new Path(new Path(images).getParent(), "labels.txt").toString();
        if (!HadoopFiles.exists(uri, conf)) {
            return null;
        }
        return new LabelMap(HadoopFiles.readString(uri, conf).lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    private static LabelMap numericLabels(int max) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= Math.max(1, max); i++) {
            names.add(Integer.toString(i));
        }
        return new LabelMap(names);
    }

    private static String rejectSummary(Map<String, Long> counts) {
        return counts.entrySet().stream().filter(e -> !e.getKey().startsWith("split:")).map(e -> e.getKey() + "=" + e.getValue())
                .toList().toString();
    }
}
