package dev.nightjar.eval;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code metrics.json} of an autoencoder on one split: the mean squared reconstruction error per pixel value (pixels in
 * [0, 1]), its root, and the peak signal-to-noise ratio in dB ({@code 10 log10(1 / mse)}).
 */
public record ReconstructionMetrics(String split, long images, double msePerPixel, double rmse, double psnrDb) {

    public static ReconstructionMetrics of(String split, ReconstructionLoss loss) {
        double mse = loss.squaredError() / Math.max(1, loss.values());
        return new ReconstructionMetrics(split, loss.images(), mse, Math.sqrt(mse), 10 * Math.log10(1 / Math.max(mse, 1e-12)));
    }

    /** For metrics.jsonl and the report: the mean squared error per pixel first. */
    public Map<String, Double> summary() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mse_per_pixel", msePerPixel);
        m.put("psnr_db", psnrDb);
        return m;
    }

    public String table() {
        return String.format(Locale.ROOT, "split %s: %,d images%n  mse/pixel  %.6f%n  rmse       %.4f%n  psnr       %.2f dB%n",
                split, images, msePerPixel, rmse, psnrDb);
    }
}
