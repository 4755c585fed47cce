package dev.nightjar.model.family;

/** How a family's models are measured: what {@code evaluate}, validation, the gate and the report use. */
public enum MetricsKind {
    /** Accuracy, macro-F1, per-class scores, the confusion matrix, ROC-AUC for two classes; higher is better. */
    CLASSIFIER("accuracy", true, "cross-entropy per example"),
    /** Nats and bits per token and perplexity; lower is better. */
    LANGUAGE_MODEL("bits_per_token", false, "nats per token"),
    /** Mean squared error per pixel of the reconstruction, and PSNR; lower is better; labels unused. */
    RECONSTRUCTION("mse_per_pixel", false, "reconstruction loss per pixel");

    private final String mainMetric;
    private final boolean higherIsBetter;
    private final String lossUnit;

    MetricsKind(String mainMetric, boolean higherIsBetter, String lossUnit) {
        this.mainMetric = mainMetric;
        this.higherIsBetter = higherIsBetter;
        this.lossUnit = lossUnit;
    }

    /** The metric the quality gate compares by default, and keep-best ranks by. */
    public String mainMetric() {
        return mainMetric;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether the measure uses the dataset's labels (a reconstruction does not: any labels fit). */
    public boolean usesLabels() {
        return this != RECONSTRUCTION;
    }

    /** The unit of the normalised training loss, for the report. */
    public String lossUnit() {
        return lossUnit;
    }
}
