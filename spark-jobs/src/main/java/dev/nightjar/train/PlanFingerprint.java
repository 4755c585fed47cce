package dev.nightjar.train;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Everything the trainer's segment plan ({@link SegmentPlan}, cut into rounds by
 * {@link ParameterAveragingTrainer}) depends on, readable in a checkpoint's cursor.json. A resume
 * under another fingerprint would re-cut the plan: some records trained twice, others skipped.
 * The epochs and checkpoint settings are not part of it: a finished run can be given more epochs.
 *
 * @param seed               the shard-order seed
 * @param workers            parameter-averaging workers
 * @param averagingFrequency minibatches per worker between averagings
 * @param roundsPerSegment   averaging rounds per segment
 * @param maxRecords         train.max-records (0 = all)
 * @param skippedShards      shard files left out by --skip-corrupt, by file name, sorted
 * @param datasetContentHash SHA-256 over the dataset's shards (file, examples, CRC-32): equal hashes, equal data
 * @param trainRecords       records trained per epoch
 * @param recordsSha256      SHA-256 over those records (shard file name and record index), in the order the plan shuffles
 */
public record PlanFingerprint(long seed, int workers, int averagingFrequency, int roundsPerSegment, int maxRecords,
                              List<String> skippedShards, String datasetContentHash, int trainRecords, String recordsSha256)
{

    public PlanFingerprint {
        skippedShards = skippedShards == null ? List.of() : List.copyOf(skippedShards);
    }

    /**
     * @param records       the train records as the trainer gets them ({@code <shard uri>#<record>})
     * @param skippedShards paths or names of the shards left out
     */
    public static PlanFingerprint of(TrainConfig cfg, String datasetContentHash, List<String> skippedShards, List<String> records) {
        MessageDigest md = sha256();
        for (String r : records) {
            md.update((fileName(r) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new PlanFingerprint(cfg.seed(), cfg.workers(), cfg.averagingFrequency(), cfg.roundsPerSegment(), cfg.maxRecords(),
                skippedShards.stream().map(PlanFingerprint::fileName).sorted().toList(), datasetContentHash, records.size(),
                HexFormat.of().formatHex(md.digest()));
    }

    /** What differs from {@code old}, one {@code "part old -> new"} each, in declaration order; empty when the plans are the same. */
    public List<String> changesSince(PlanFingerprint old) {
        List<String> changes = new ArrayList<>();
        change(changes, "seed", old.seed, seed);
        change(changes, "train.workers", old.workers, workers);
        change(changes, "train.averaging-frequency", old.averagingFrequency, averagingFrequency);
        change(changes, "train.rounds-per-segment", old.roundsPerSegment, roundsPerSegment);
        change(changes, "train.max-records", old.maxRecords, maxRecords);
        change(changes, "skipped corrupt shards (--skip-corrupt)", old.skippedShards, skippedShards);
        change(changes, "dataset content hash", old.datasetContentHash, datasetContentHash);
        change(changes, "train records", old.trainRecords, trainRecords);
        if (changes.isEmpty()) {
            // nothing above moved, yet the records differ: named rather than passed over
            change(changes, "train records' SHA-256", old.recordsSha256, recordsSha256);
        }
        return changes;
    }

    private static void change(List<String> changes, String part, Object old, Object now) {
        if (!Objects.equals(old, now)) {
            changes.add(part + " " + old + " -> " + now);
        }
    }

    /** A record path or shard path without its directory: a dataset moved elsewhere has the same plan. */
    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
