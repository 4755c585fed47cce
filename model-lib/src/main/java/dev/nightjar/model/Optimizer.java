package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The updater and its per-epoch learning-rate schedule ({@code model.updater}, {@code model.learning-rate},
 * {@code model.momentum}, {@code model.schedule*}), shared by every architecture. Its section also
 * declares {@code model.weight-init} and {@code model.l2}, which every architecture's config reads.
 *
 * @param updater       adam, nesterovs or sgd
 * @param learningRate  initial learning rate
 * @param momentum      Nesterov momentum (nesterovs only)
 * @param schedule      none, step or cosine (per epoch)
 * @param scheduleDecay step schedule: factor applied every {@code scheduleStep} epochs
 * @param scheduleStep  step schedule: epochs between decays
 */
public record Optimizer(String updater, double learningRate, double momentum, String schedule, double scheduleDecay,
                        int scheduleStep) implements java.io.Serializable {
    public static final Setting<String> UPDATER = Setting.oneOf("model.updater", "adam", List.of("adam", "nesterovs", "sgd"),
            "The gradient updater.");
    public static final Setting<Double> LEARNING_RATE = Setting.doubleIn("model.learning-rate", 0.001, 1e-7, 10,
            "The learning rate (of the first epoch, when a schedule changes it).");
    public static final Setting<Double> MOMENTUM = Setting.doubleIn("model.momentum", 0.9, 0, 0.999,
            "Nesterov momentum; nesterovs only.");
    public static final Setting<String> SCHEDULE = Setting.oneOf("model.schedule", "none", List.of("none", "step", "cosine"),
            "The learning-rate schedule, per epoch. step multiplies the rate by schedule-decay every schedule-step epochs; "
                    + "cosine anneals it towards 0 over the run's epochs.");
    public static final Setting<Double> SCHEDULE_DECAY = Setting.doubleIn("model.schedule-decay", 0.5, 1e-6, 1,
            "step schedule: the factor applied every schedule-step epochs.");
    public static final Setting<Integer> SCHEDULE_STEP = Setting.intIn("model.schedule-step", 2, 1, 10_000,
            "step schedule: epochs between two decays.");
    /** Read by each architecture's config record. */
    public static final Setting<String> WEIGHT_INIT = Setting.oneOf("model.weight-init", "relu", List.of("xavier", "relu"),
            "Weight initialisation of every architecture.");
    /** Read by each architecture's config record. */
    public static final Setting<Double> L2 = Setting.doubleIn("model.l2", 0.0001, 0, 1,
            "L2 weight decay of every architecture.");

    public static final Section SECTION = new Section("model", "optimizer, schedule, initialisation and L2 of every architecture",
            "How every architecture trains: the updater and its per-epoch learning-rate schedule, weight initialisation and "
                    + "L2 weight decay. They apply to image classifiers, language models and text classifiers alike.",
            Optimizer.class, UPDATER, LEARNING_RATE, MOMENTUM, SCHEDULE, SCHEDULE_DECAY, SCHEDULE_STEP, WEIGHT_INIT, L2);

    public static Optimizer from(Config c) {
        return new Optimizer(UPDATER.get(c), LEARNING_RATE.get(c), MOMENTUM.get(c), SCHEDULE.get(c), SCHEDULE_DECAY.get(c),
                SCHEDULE_STEP.get(c));
    }

    /** The same optimizer with the learning rate multiplied by {@code factor} (discriminative fine-tuning). */
    public Optimizer scaled(double factor) {
        return new Optimizer(updater, learningRate * factor, momentum, schedule, scheduleDecay, scheduleStep);
    }

    /** @param epochs total epochs planned, used by the cosine schedule */
    public IUpdater updater(int epochs) {
        return updater(schedule(epochs));
    }

    /** The updater at a learning-rate schedule of the caller's (a per-step warm-up, say). */
    public IUpdater updater(ISchedule lr) {
        return switch (updater) {
            case "adam" -> new Adam(lr);
            case "nesterovs" -> new Nesterovs(lr, momentum);
            case "sgd" -> new Sgd(lr);
            default -> throw new IllegalArgumentException(updater);
        };
    }

    /** Learning-rate schedule per epoch. A constant rate is a one-entry map schedule. */
    ISchedule schedule(int epochs) {
        switch (schedule) {
            case "step":
                return new StepSchedule(ScheduleType.EPOCH, learningRate, scheduleDecay, scheduleStep);
            case "cosine": {
                Map<Integer, Double> values = new HashMap<>();
                int n = Math.max(1, epochs);
                for (int e = 0; e < n; e++) {
                    values.put(e, learningRate * 0.5 * (1 + Math.cos(Math.PI * e / n)));
                }
                return new MapSchedule(ScheduleType.EPOCH, values);
            }
            default:
                // a mutable map: Spark's Kryo rebuilds the schedule on executors by putting into the map it makes
                return new MapSchedule(ScheduleType.EPOCH, new HashMap<>(Map.of(0, learningRate)));
        }
    }
}
