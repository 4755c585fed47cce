package dev.nightjar.train;

import dev.nightjar.eval.ValidationRunner;
import dev.nightjar.model.Network;
import dev.nightjar.model.family.MetricsKind;
import dev.nightjar.model.family.TrainingSetup;
import dev.nightjar.storage.Checkpoints;

import java.util.Map;

/**
 * The training job's listener: the family's per-epoch network, normalised segment metrics to
 * metrics.jsonl and the console, validation after each epoch, the best epoch kept
 * ({@code train.keep-best}, also written beside the checkpoints so that it survives a resume),
 * and checkpoints when the trainer says one is due. Before each write it runs {@code beforeWrite},
 * which throws when the job may no longer write (its run lock was lost).
 */
public final class RunListener implements TrainingListener {
    private final TrainConfig cfg;
    private final MetricsKind kind;
    private final TrainingSetup setup;
    private final Checkpoints checkpoints;
    private final ValidationRunner<?> validation;
    private final BestEpoch best;
    private final MetricsLog log;
    private final TrainingProgress progress;
    private final PlanFingerprint plan;
    private final Runnable beforeWrite;

    /** @param plan the fingerprint of the segment plan, recorded in every checkpoint */
    public RunListener(TrainConfig cfg, MetricsKind kind, TrainingSetup setup, Checkpoints checkpoints, ValidationRunner<?> validation, BestEpoch best,
                       MetricsLog log, TrainingProgress progress, PlanFingerprint plan, Runnable beforeWrite) {
        this.cfg = cfg;
        this.kind = kind;
        this.setup = setup;
        this.checkpoints = checkpoints;
        this.validation = validation;
        this.best = best;
        this.log = log;
        this.progress = progress;
        this.plan = plan;
        this.beforeWrite = beforeWrite;
    }

    @Override
    public Network beforeEpoch(int epoch, Network current) {
        return setup.beforeEpoch(epoch, current);
    }

    @Override
    public void checkpoint(int nextEpoch, int nextSegment, long examplesSeen, Network current) {
        beforeWrite.run();
        checkpoints.write(current, nextEpoch, nextSegment, examplesSeen, plan);
    }

    @Override
    public void segment(SegmentMetrics raw) {
        SegmentMetrics m = normalise(raw, kind, setup);
        beforeWrite.run();
        log.append(m);
        progress.update(m);
    }

    @Override
    public Map<String, Double> validate(int epoch, Network current) {
        boolean last = epoch == cfg.epochs() - 1;
        Map<String, Double> val = cfg.validateEveryEpoch() || last ? validation.run(epoch, current) : null;
        if (cfg.keepBest() && best.offer(epoch, val, current) && cfg.checkpointEvery() > 0) {
            beforeWrite.run();
            checkpoints.writeBest(current, epoch, val);
        }
        return val;
    }

    /**
     * DL4J's raw training score in the family's loss unit: nats and bits per token for a language model, loss per
     * pixel for an autoencoder.
     */
    public static SegmentMetrics normalise(SegmentMetrics raw, MetricsKind kind, TrainingSetup setup) {
        return switch (kind) {
            case LANGUAGE_MODEL -> raw.perToken(setup.stepsPerScore());
            case RECONSTRUCTION -> raw.perStep(setup.stepsPerScore());
            case CLASSIFIER -> raw;
        };
    }
}
