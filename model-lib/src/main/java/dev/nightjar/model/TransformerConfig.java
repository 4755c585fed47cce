package dev.nightjar.model;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Configs;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Typed, validated config of the GPT-style Transformer language model ({@code model.transformer.*}, plus the updater,
 * learning rate and L2 of {@code model.*}).
 *
 * @param optimizer    updater and peak learning rate (model.schedule must be none: the warm-up and cosine are here)
 * @param l2           L2 weight decay (of weight matrices and embeddings; not of biases and LayerNorm gains)
 * @param layers       Transformer blocks
 * @param heads        attention heads per block
 * @param width        model width (d_model), a multiple of heads
 * @param mlpRatio     the MLP's hidden width per unit of width
 * @param context      positions the model reads (0 = the dataset's sequence length)
 * @param warmupSteps  minibatch steps of linear learning-rate warm-up
 * @param decaySteps   minibatch steps of cosine decay after the warm-up (0 = a constant rate after it)
 * @param minLrRatio   the rate the cosine ends at, as a fraction of the peak
 * @param gradientClip element-wise gradient clipping threshold (0 = off)
 * @param dropout      dropout rate after the embeddings and on each block's attention and MLP branches (0 = off)
 * @param seed         weight-init seed
 */
public record TransformerConfig(Optimizer optimizer, double l2, int layers, int heads, int width, int mlpRatio, int context,
                                int warmupSteps, int decaySteps, double minLrRatio, double gradientClip, double dropout, long seed)
        implements java.io.Serializable {
    public static final Setting<Integer> LAYERS = Setting.intIn("model.transformer.layers", 2, 1, 256, "Transformer blocks.");
    public static final Setting<Integer> HEADS = Setting.intIn("model.transformer.heads", 4, 1, 256,
            "Attention heads per block; width must be a multiple of it.");
    public static final Setting<Integer> WIDTH = Setting.intIn("model.transformer.width", 128, 2, 1 << 14,
            "Model width (d_model): the embeddings, attention and residual stream.");
    public static final Setting<Integer> MLP_RATIO = Setting.intIn("model.transformer.mlp-ratio", 4, 1, 64,
            "The MLP's hidden width as a multiple of the model width.");
    public static final Setting<Integer> CONTEXT = Setting.intIn("model.transformer.context", 0, 0, 1 << 16,
            "Positions the model reads at once (learned position embeddings); 0 = the dataset's sequence length. "
                    + "Generation slides a window of this many tokens.");
    public static final Setting<Integer> WARMUP_STEPS = Setting.intIn("model.transformer.warmup-steps", 100, 0, 1 << 30,
            "Minibatch steps (per worker) over which the learning rate rises linearly to model.learning-rate.");
    public static final Setting<Integer> DECAY_STEPS = Setting.intIn("model.transformer.decay-steps", 0, 0, 1 << 30,
            "Minibatch steps (per worker) after the warm-up over which a cosine takes the rate down to min-lr-ratio of it; "
                    + "0 = the rate stays at model.learning-rate after the warm-up.");
    public static final Setting<Double> MIN_LR_RATIO = Setting.doubleIn("model.transformer.min-lr-ratio", 0.1, 0, 1,
            "The learning rate the cosine ends at, as a fraction of model.learning-rate.");
    public static final Setting<Double> GRADIENT_CLIP = Setting.doubleIn("model.transformer.gradient-clip", 1.0, 0, 1e6,
            "Element-wise gradient clipping threshold (0 = off).");

    public static final Setting<Double> DROPOUT = Setting.doubleIn("model.transformer.dropout", 0.0, 0, 0.9,
            "Dropout rate after the embeddings and on each block's attention and MLP outputs, in training only (0 = off).");

    public static final Section SECTION = new Section("model.transformer", "Transformer language model",
            "The GPT-style causal Transformer (model.family = transformer-lm, lm datasets): token and learned position "
                    + "embeddings, pre-LayerNorm blocks of masked multi-head self-attention and a GELU MLP with residuals, a final "
                    + "LayerNorm and a softmax over the vocabulary; all but the softmax is one layer in a MultiLayerNetwork. "
                    + "model.updater, model.learning-rate (the peak rate) and model.l2 apply; model.schedule must be none.",
            TransformerConfig.class, LAYERS, HEADS, WIDTH, MLP_RATIO, CONTEXT, WARMUP_STEPS, DECAY_STEPS, MIN_LR_RATIO,
            GRADIENT_CLIP, DROPOUT);

    public TransformerConfig {
        if (width % heads != 0) {
            throw new UserException("config key '" + WIDTH.key() + "' (" + width + ") must be a multiple of '" + HEADS.key()
                    + "' (" + heads + ")");
        }
        if (!optimizer.schedule().equals("none")) {
            throw new UserException("config key '" + Optimizer.SCHEDULE.key() + "' is " + optimizer.schedule() + "; the Transformer "
                    + "schedules its rate per step with model.transformer.warmup-steps and decay-steps: set it to none");
        }
    }

    public static TransformerConfig from(Config c) {
        return new TransformerConfig(Optimizer.from(c), Optimizer.L2.get(c), LAYERS.get(c), HEADS.get(c), WIDTH.get(c), MLP_RATIO.get(c),
                CONTEXT.get(c), WARMUP_STEPS.get(c), DECAY_STEPS.get(c), MIN_LR_RATIO.get(c), GRADIENT_CLIP.get(c),
                DROPOUT.get(c), Configs.SEED.get(c));
    }

    /** The context for a dataset of sequences of {@code seqLen} steps: the configured one, or seqLen; never shorter than seqLen. */
    public int contextFor(int seqLen) {
        if (context == 0) {
            return seqLen;
        }
        if (context < seqLen) {
            throw new UserException("config key '" + CONTEXT.key() + "' is " + context + " but the dataset's sequences are " + seqLen
                    + " tokens long: set it to at least " + seqLen + " (or 0 for the sequence length)");
        }
        return context;
    }

    /** The updater at the warm-up and cosine schedule. */
    public IUpdater updater() {
        double peak = optimizer.learningRate();
        return optimizer.updater(new WarmupCosineSchedule(peak, peak * minLrRatio, warmupSteps, decaySteps));
    }
}
