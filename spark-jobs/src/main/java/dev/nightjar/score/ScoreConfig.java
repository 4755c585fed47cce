package dev.nightjar.score;

import com.typesafe.config.Config;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;
import dev.nightjar.monitor.Trends;
import dev.nightjar.text.ClassifierInput;

/**
 * Typed, validated {@code score.*} for {@code nightjar score}: inference batching, long documents,
 * the positive label, the trend bucket and the alert rules. {@code --bucket} overrides the bucket
 * through {@link #withBucket}, checked by the key's own rule.
 *
 * @param batchSize         windows (documents, or parts of long ones) per inference batch inside a partition
 * @param maxWindows        windows of the model's max-len tokens read of a long document at most
 * @param longDocuments     how a network reads a document longer than its max-len (windows, sentences, whole)
 * @param positiveLabel     the label whose probability is the sentiment; "" = the last label of labels.json
 * @param bucket            hour, day or week (UTC)
 * @param alertWindow       trailing buckets a bucket is compared with
 * @param alertThreshold    standard deviations from the trailing mean that make an alert
 * @param alertMinDocuments least documents for a bucket's sentiment to be judged or used as history
 */
public record ScoreConfig(int batchSize, int maxWindows, ClassifierInput.LongDocuments longDocuments, String positiveLabel, String bucket, int alertWindow, double alertThreshold,
                          int alertMinDocuments) implements java.io.Serializable {
    public static final Setting<Integer> BATCH_SIZE = Setting.intIn("score.batch-size", 256, 1, 1 << 16,
            "Parts (documents, or parts of long ones) per inference batch inside a partition; a batch also holds at most "
                    + "this many times the model's max-len ids.");
    public static final Setting<Integer> MAX_WINDOWS = Setting.intIn("score.max-windows", 32, 1, 1 << 20,
            "A network reads at most this many times its max-len tokens of a document (32 windows of 256 ids: about 8,000 "
                    + "characters, or 8,000 words); 1 = its beginning only. The MLlib baseline reads every document whole.");
    public static final Setting<String> LONG_DOCUMENTS = Setting.oneOf("score.long-documents", "windows", ClassifierInput.LongDocuments.ids(),
            "How a network reads a document longer than its max-len: 'windows' (consecutive windows of max-len ids), "
                    + "'sentences' (each sentence a part, as a model trained on sentences saw them) or 'whole' (one part, for "
                    + "networks that pool over time: text-cnn, text-bilstm). The document's probabilities are the mean over its parts.");
    public static final Setting<String> POSITIVE_LABEL = Setting.string("score.positive-label", "",
            "The label whose probability is the sentiment in trends and alerts; \"\" = the last label of labels.json.");
    public static final Setting<String> BUCKET = Setting.oneOf("score.bucket", "day", Trends.BUCKETS,
            "Time bucket of trends, in UTC (--bucket overrides it).");
    public static final Setting<Integer> ALERT_WINDOW = Setting.intIn("score.alerts.window", 7, 2, 10_000,
            "Trailing buckets a bucket is compared with.");
    public static final Setting<Double> ALERT_THRESHOLD = Setting.doubleIn("score.alerts.threshold", 3.0, 0, 1e6,
            "An alert fires when a bucket departs from the trailing mean by more than this many standard deviations.");
    public static final Setting<Integer> ALERT_MIN_DOCUMENTS = Setting.intIn("score.alerts.min-documents", 10, 1, Integer.MAX_VALUE,
            "The sentiment of buckets with fewer documents is neither judged nor used as history.");

    public static final Section SECTION = new Section("score", "scoring, trends and alerts",
            "How nightjar score (and demo sentiment) scores a corpus with a text classifier, buckets the scores into trends "
                    + "and raises alerts.",
            ScoreConfig.class, BATCH_SIZE, MAX_WINDOWS, LONG_DOCUMENTS, POSITIVE_LABEL, BUCKET, ALERT_WINDOW, ALERT_THRESHOLD, ALERT_MIN_DOCUMENTS);

    public static ScoreConfig from(Config c) {
        return new ScoreConfig(BATCH_SIZE.get(c), MAX_WINDOWS.get(c), ClassifierInput.LongDocuments.of(LONG_DOCUMENTS.get(c)), POSITIVE_LABEL.get(c), BUCKET.get(c), ALERT_WINDOW.get(c),
                ALERT_THRESHOLD.get(c), ALERT_MIN_DOCUMENTS.get(c));
    }

    /** How a network reads the documents it scores. */
    public Reading reading() {
        return new Reading(batchSize, maxWindows, longDocuments);
    }

    /** With {@code --bucket}, when given (null: unchanged). */
    public ScoreConfig withBucket(String b) {
        return b == null ? this : new ScoreConfig(batchSize, maxWindows, longDocuments, positiveLabel, BUCKET.check(b, "--bucket"), alertWindow,
                alertThreshold, alertMinDocuments);
    }
}
