package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.HashMap;
import java.util.Map;

/**
 * The updater and its per-epoch learning-rate schedule ({@code model.updater}, {@code model.learning-rate},
 * {@code model.momentum}, {@code model.schedule*}), shared by every architecture.
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

    public static Optimizer from(Config c) {
        return new Optimizer(
                Configs.oneOf(c, "model.updater", "adam", "nesterovs", "sgd"),
                Configs.doubleIn(c, "model.learning-rate", 1e-7, 10),
                Configs.doubleIn(c, "model.momentum", 0, 0.999),
                Configs.oneOf(c, "model.schedule", "none", "step", "cosine"),
                Configs.doubleIn(c, "model.schedule-decay", 1e-6, 1),
                Configs.intIn(c, "model.schedule-step", 1, 10_000));
    }

    /** The same optimizer with the learning rate multiplied by {@code factor} (discriminative fine-tuning). */
    public Optimizer scaled(double factor) {
        return new Optimizer(updater, learningRate * factor, momentum, schedule, scheduleDecay, scheduleStep);
    }

    /** @param epochs total epochs planned, used by the cosine schedule */
    public IUpdater updater(int epochs) {
        ISchedule lr = schedule(epochs);
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
