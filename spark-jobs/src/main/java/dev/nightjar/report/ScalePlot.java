package dev.nightjar.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.util.Json;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code bench/scale.sh} left in its work directory (the logs of {@code /usr/bin/time -v}, the live-heap
 * samples, the GC logs, each run's {@code metrics.jsonl} and each dataset's manifest) and writes
 * {@code results.json} and the plot {@code scale.png}: CPU time, wall time and the driver's live heap per multiple.
 * <p>
 * {@code java -cp nightjar-local.jar dev.nightjar.report.ScalePlot WORKDIR K...}
 */
public final class ScalePlot {
    private static final Pattern GC_AFTER = Pattern.compile("->(\\d+)M\\(");
    private static final Pattern PAUSE_MS = Pattern.compile(" ([0-9.]+)ms$");
    private static final Pattern PROGRESS =
            Pattern.compile("^(\\d\\d):(\\d\\d):(\\d\\d) .*TrainingProgress: .*\\| (\\d+)/(\\d+) examples");
    private static final String[] STEPS = {"prepare", "train"};

    private ScalePlot() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ScalePlot WORKDIR K...");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            rows.add(row(dir, Integer.parseInt(args[i])));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu", cpuModel());
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("load_average", lines(dir.resolve("logs/loadavg")));
        out.put("workload", "Fashion-MNIST train images x K (bench/idx_repeat.py); prepare images --val-fraction 0;"
                + " train 1 epoch, lenet-filters [4, 8], dense 32, batch 64, 2 workers, averaging every 5; local[2]");
        out.put("rows", rows);
        out.put("marginal", marginal(rows));
        Json.writeFile(dir.resolve("results.json"), out);
        plot(rows, dir.resolve("scale.png"));
        System.out.println(Json.write(out));
    }

    static Map<String, Object> row(Path dir, int k) throws IOException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("multiple", k);
        JsonNode manifest = Json.MAPPER.readTree(dir.resolve("data/" + k + "/manifest.json").toFile());
        long examples = 0;
        long records = 0;
        for (JsonNode s : manifest.path("shards")) {
            examples += s.path("examples").asLong();
            records += s.path("records").asLong();
        }
        row.put("images", examples);
        row.put("records", records);
        for (String step : STEPS) {
            Map<String, Object> m = new LinkedHashMap<>(time(dir.resolve("logs/" + step + "-" + k + ".time")));
            heap(dir.resolve("logs/" + step + "-" + k + ".heap"), m);
            Path gc = dir.resolve("logs/" + step + "-" + k + ".gc");
            m.put("gc_heap_after_peak_mb", gcAfterPeak(gc));
            m.put("sampling_full_gc_s", round(inspectionPauses(gc)));
            row.put(step, m);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> train = (Map<String, Object>) row.get("train");
        train.putAll(epoch(dir.resolve("runs/" + k + "/metrics.jsonl")));
        train.putAll(steadyState(dir.resolve("logs/train-" + k + ".out"), dir.resolve("logs/train-" + k + ".cpu"), examples,
                Files.exists(dir.resolve("logs/train-" + k + ".stopped")), (Double) train.get("cpu_s"), (Double) train.get("epoch_wall_s")));
        return row;
    }

    /** wall_s, cpu_s (user + sys), max_rss_mb from the output of {@code /usr/bin/time -v}. */
    static Map<String, Object> time(Path file) throws IOException {
        double user = 0;
        double sys = 0;
        double wall = 0;
        long rssKb = 0;
        for (String line : Files.readAllLines(file)) {
            String t = line.trim();
            String v = t.substring(t.lastIndexOf(' ') + 1);
            if (t.startsWith("User time")) {
                user = Double.parseDouble(v);
            } else if (t.startsWith("System time")) {
                sys = Double.parseDouble(v);
            } else if (t.startsWith("Elapsed (wall clock)")) {
                String[] p = v.split(":");
                for (String part : p) {
                    wall = wall * 60 + Double.parseDouble(part);
                }
            } else if (t.startsWith("Maximum resident set size")) {
                rssKb = Long.parseLong(v);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wall_s", round(wall));
        m.put("cpu_s", round(user + sys));
        m.put("user_s", round(user));
        m.put("sys_s", round(sys));
        m.put("max_rss_mb", rssKb / 1024);
        return m;
    }

    /** The live heap after the full GCs {@code jcmd GC.class_histogram} forced: peak, last, count of samples. */
    static void heap(Path file, Map<String, Object> m) throws IOException {
        List<String> lines = lines(file);
        double peak = 0;
        double last = 0;
        for (String l : lines) {
            last = Long.parseLong(l.split(" ")[1]) / 1048576.0;
            peak = Math.max(peak, last);
        }
        m.put("live_heap_peak_mb", round(peak));
        m.put("live_heap_last_mb", round(last));
        m.put("live_heap_samples", lines.size());
    }

    static long gcAfterPeak(Path file) throws IOException {
        long peak = 0;
        for (String l : lines(file)) {
            Matcher mt = GC_AFTER.matcher(l);
            if (mt.find()) {
                peak = Math.max(peak, Long.parseLong(mt.group(1)));
            }
        }
        return peak;
    }

    /** Seconds of the full GCs that {@code jcmd GC.class_histogram} forced (their cost is in cpu_s and wall_s). */
    static double inspectionPauses(Path file) throws IOException {
        double ms = 0;
        for (String l : lines(file)) {
            Matcher mt = PAUSE_MS.matcher(l);
            if (l.contains("Heap Inspection Initiated GC") && mt.find()) {
                ms += Double.parseDouble(mt.group(1));
            }
        }
        return ms / 1000;
    }

    /** The epoch from metrics.jsonl: segments, examples, seconds in fit and outside it, final loss. */
    static Map<String, Object> epoch(Path file) throws IOException {
        double train = 0;
        double averaging = 0;
        double wall = 0;
        long examples = 0;
        int segments = 0;
        double loss = Double.NaN;
        for (String l : lines(file)) {
            JsonNode n = Json.MAPPER.readTree(l);
            if (!n.has("segment")) {
                continue;
            }
            segments++;
            train += n.path("train_seconds").asDouble();
            averaging += n.path("averaging_seconds").asDouble();
            wall += n.path("wall_seconds").asDouble();
            examples = n.path("examples_seen").asLong();
            loss = n.path("train_loss").asDouble();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("segments", segments);
        m.put("examples_trained", examples);
        m.put("epoch_wall_s", round(wall));
        m.put("epoch_fit_s", round(train));
        m.put("epoch_averaging_s", round(averaging));
        m.put("examples_per_s", round(wall > 0 ? examples / wall : 0));
        m.put("last_segment_loss", round(loss));
        return m;
    }

    /**
     * The training's steady state, from the progress lines ({@code HH:MM:SS ... TrainingProgress: ... | DONE/TOTAL
     * examples}) and the CPU ticks sampled every 2 s ({@code EPOCH_SECONDS TICKS}): CPU and wall seconds per 1,000
     * images between the first and the last progress line, the CPU spent before training started (JVM, Spark, the
     * dataset, the plan), and the epoch's CPU and wall: measured when the epoch finished, else extrapolated.
     */
    static Map<String, Object> steadyState(Path log, Path cpuFile, long images, boolean stopped, double cpuS, double epochWallS)
            throws IOException {
        List<double[]> cpu = new ArrayList<>();
        for (String l : lines(cpuFile)) {
            String[] p = l.trim().split("\\s+");
            if (p.length == 2) {
                cpu.add(new double[] {Double.parseDouble(p[0]) % 86400, Double.parseDouble(p[1]) / 100});
            }
        }
        List<double[]> progress = new ArrayList<>();
        for (String l : lines(log)) {
            Matcher mt = PROGRESS.matcher(l);
            if (mt.find()) {
                double t = Integer.parseInt(mt.group(1)) * 3600 + Integer.parseInt(mt.group(2)) * 60 + Integer.parseInt(mt.group(3));
                // only lines inside the sampled CPU range
                if (!cpu.isEmpty() && t >= cpu.get(0)[0] && t <= cpu.get(cpu.size() - 1)[0]) {
                    progress.add(new double[] {t, Double.parseDouble(mt.group(4))});
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch_complete", !stopped);
        if (cpu.size() < 2 || progress.size() < 2) {
            return m;
        }
        double[] first = progress.get(0);
        double[] last = progress.get(progress.size() - 1);
        double dImages = last[1] - first[1];
        double cpuPerImage = (cpuAt(cpu, last[0]) - cpuAt(cpu, first[0])) / dImages;
        double wallPerImage = (last[0] - first[0]) / dImages;
        // the CPU spent before training, known only when the samples began before the first progress line
        double startup = cpuAt(cpu, first[0]) - first[1] * cpuPerImage;
        boolean sampledFromStart = cpu.get(0)[1] < 10;
        m.put("steady_from_images", (long) first[1]);
        m.put("steady_to_images", (long) last[1]);
        m.put("steady_cpu_s_per_1000_images", round(1000 * cpuPerImage));
        m.put("steady_wall_s_per_1000_images", round(1000 * wallPerImage));
        if (sampledFromStart) {
            m.put("cpu_before_training_s", round(startup));
        }
        m.put("epoch_cpu_s", round(stopped ? startup + images * cpuPerImage : cpuS));
        m.put("epoch_wall_s", round(stopped ? images * wallPerImage : epochWallS));
        return m;
    }

    /** CPU seconds at a second of the day, interpolated between samples. */
    private static double cpuAt(List<double[]> samples, double t) {
        for (int i = 1; i < samples.size(); i++) {
            double[] a = samples.get(i - 1);
            double[] b = samples.get(i);
            if (b[0] >= t) {
                return b[0] == a[0] ? b[1] : a[1] + (b[1] - a[1]) * Math.max(0, t - a[0]) / (b[0] - a[0]);
            }
        }
        return samples.get(samples.size() - 1)[1];
    }

    /** CPU seconds per 1,000 images between consecutive multiples: equal values mean linear growth. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> marginal(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            Map<String, Object> a = rows.get(i - 1);
            Map<String, Object> b = rows.get(i);
            double dImages = ((Number) b.get("images")).doubleValue() - ((Number) a.get("images")).doubleValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", a.get("multiple"));
            m.put("to", b.get("multiple"));
            for (String step : STEPS) {
                String key = cpuKey(step);
                double da = ((Number) ((Map<String, Object>) b.get(step)).get(key)).doubleValue()
                        - ((Number) ((Map<String, Object>) a.get(step)).get(key)).doubleValue();
                m.put(step + "_cpu_s_per_1000_images", round(1000 * da / dImages));
            }
            double ea = ((Number) ((Map<String, Object>) b.get("train")).get("epoch_wall_s")).doubleValue()
                    - ((Number) ((Map<String, Object>) a.get("train")).get("epoch_wall_s")).doubleValue();
            m.put("epoch_wall_s_per_1000_images", round(1000 * ea / dImages));
            out.add(m);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static void plot(List<Map<String, Object>> rows, Path png) throws IOException {
        double[] x = rows.stream().mapToDouble(r -> ((Number) r.get("images")).doubleValue() / 1000).toArray();
        XYChart cpu = chart("CPU time, user + sys", "seconds");
        XYChart wall = chart("Wall time, shared machine", "seconds");
        XYChart heap = chart("Live heap after full GC (peak)", "MiB");
        Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40)};
        for (int s = 0; s < STEPS.length; s++) {
            String step = STEPS[s];
            double[] c = values(rows, step, cpuKey(step));
            add(cpu, step, x, c, colors[s]);
            // the straight line through the first two multiples: a third on it means linear growth
            double slope = x.length > 1 ? (c[1] - c[0]) / (x[1] - x[0]) : c[0] / x[0];
            double[] line = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                line[i] = c[0] + slope * (x[i] - x[0]);
            }
            XYSeries ref = cpu.addSeries(step + ": line through the first two", x, line);
            ref.setMarker(SeriesMarkers.NONE);
            ref.setLineStyle(SeriesLines.DASH_DASH);
            ref.setLineColor(colors[s]);
            add(wall, step, x, values(rows, step, step.equals("train") ? "epoch_wall_s" : "wall_s"), colors[s]);
            add(heap, step, x, values(rows, step, "live_heap_peak_mb"), colors[s]);
        }
        cpu.getSeriesMap().get("train").setLabel("train (the epoch)");
        wall.getSeriesMap().get("train").setLabel("train (the epoch)");
        double maxHeap = 0;
        for (String step : STEPS) {
            for (double v : values(rows, step, "live_heap_peak_mb")) {
                maxHeap = Math.max(maxHeap, v);
            }
        }
        heap.getStyler().setYAxisMax(Math.max(1, maxHeap) * 1.3);
        BitmapEncoder.saveBitmap(List.of(cpu, wall, heap), 1, 3, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The whole prepare command; the training's epoch (measured, or extrapolated for a stopped run). */
    private static String cpuKey(String step) {
        return step.equals("train") ? "epoch_cpu_s" : "cpu_s";
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder().width(400).height(300).title(title).xAxisTitle("thousand images").yAxisTitle(y).build();
        XYStyler st = c.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setChartBackgroundColor(Color.WHITE);
        st.setYAxisMin(0.0);
        st.setXAxisMin(0.0);
        return c;
    }

    private static void add(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(color);
        s.setMarkerColor(color);
    }

    @SuppressWarnings("unchecked")
    private static double[] values(List<Map<String, Object>> rows, String step, String key) {
        return rows.stream().mapToDouble(r -> ((Number) ((Map<String, Object>) r.get(step)).get(key)).doubleValue()).toArray();
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
