package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

import java.util.List;

/**
 * Typed, validated {@code model.transfer.*}: how an image classifier fine-tunes the trunk it takes from another image
 * model ({@code train --init-from}), an image classifier or an image autoencoder.
 *
 * @param finetune    head (trunk frozen), gradual (unfreeze one trunk layer with weights per stage, top first) or full
 * @param stageEpochs gradual: epochs per unfreezing stage
 */
public record ImageTransferConfig(String finetune, int stageEpochs) implements java.io.Serializable {
    public static final Setting<String> FINETUNE = Setting.oneOf("model.transfer.finetune", "gradual", List.of("head", "gradual", "full"),
            "head: the copied trunk stays frozen (only the new dense and output layers train). gradual: unfreeze one trunk "
                    + "layer with weights per stage, top first. full: everything trains from the first step.");
    public static final Setting<Integer> STAGE_EPOCHS = Setting.intIn("model.transfer.stage-epochs", 1, 1, 10_000,
            "gradual: epochs per unfreezing stage.");

    public static final Section SECTION = new Section("model.transfer", "image transfer",
            "An image classifier trained with --init-from IMAGE_MODEL (an image classifier or an image autoencoder with the "
                    + "dataset's input shape) copies that model's trunk, and its dense layer when it has one of the same size, "
                    + "and puts a new head on for the dataset's labels (the old head too when the labels are the same); "
                    + "these keys say how the copied layers fine-tune. The model.* keys shaping the trunk must be the source's.",
            ImageTransferConfig.class, FINETUNE, STAGE_EPOCHS);

    public static ImageTransferConfig from(Config c) {
        return new ImageTransferConfig(FINETUNE.get(c), STAGE_EPOCHS.get(c));
    }

    /**
     * Copied layers with weights kept frozen (bottom first) during an epoch: all of them for head, none for full;
     * gradual starts with all and unfreezes one more from the top every {@code stageEpochs}.
     */
    public int frozenLayers(int epoch, int copiedLayers) {
        return switch (finetune) {
            case "head" -> copiedLayers;
            case "full" -> 0;
            default -> Math.max(0, copiedLayers - epoch / stageEpochs);
        };
    }
}
