package dev.nightjar.demo;

import com.typesafe.config.Config;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;

/**
 * Typed, validated {@code demo.sentiment.*} for {@link SentimentDemo}.
 *
 * @param lmEpochs       epochs of language-model training on the labelled train split's text before fine-tuning; 0 = none
 * @param lmLearningRate the learning rate of that training
 * @param vectorsMaxWords the GloVe words imported for the word CNN, most frequent first, beside the demo corpora's words
 * @param transformer    whether the Transformer classifier is a candidate
 */
public record SentimentDemoConfig(int lmEpochs, double lmLearningRate, int vectorsMaxWords, boolean transformer)
        implements java.io.Serializable {
    public static final Setting<Integer> LM_EPOCHS = Setting.intIn("demo.sentiment.lm-epochs", 0, 0, 1000,
            "Epochs of language-model training on the labelled train split's text before fine-tuning the classifier "
                    + "(ULMFiT's second stage; validation and test sentences are never seen); 0 = fine-tune the pretrained "
                    + "model as it is.");
    public static final Setting<Double> LM_LEARNING_RATE = Setting.doubleIn("demo.sentiment.lm-learning-rate", 0.002, 1e-7, 10,
            "The learning rate of that language-model training.");
    public static final Setting<Integer> VECTORS_MAX_WORDS = Setting.intIn("demo.sentiment.vectors-max-words", 30_000, 1_000, 10_000_000,
            "The GloVe words the word CNN's vocabulary takes, most frequent first (each 100 parameters, averaged across "
                    + "workers like every other weight); the words of the sentences and reviews that GloVe knows are taken too.");
    public static final Setting<Boolean> TRANSFORMER = Setting.bool("demo.sentiment.transformer", true,
            "Whether a Transformer classifier fine-tuned from the Transformer language model of demo text (conf/lm-transformer.conf; "
                    + "pretrained first when work/demo/text-transformer-lm/model is missing, about 20 minutes on 2 cores) is a "
                    + "candidate; its job file is conf/sentiment-transformer.conf.");

    public static final Section SECTION = new Section("demo.sentiment", "the sentiment demo",
            "nightjar demo sentiment: how the language model of demo text is adapted to the sentences before the classifier "
                    + "is fine-tuned from it, how many GloVe words the word CNN reads, and whether the Transformer challenger runs.",
            SentimentDemoConfig.class, LM_EPOCHS, LM_LEARNING_RATE, VECTORS_MAX_WORDS, TRANSFORMER);

    public static SentimentDemoConfig from(Config c) {
        return new SentimentDemoConfig(LM_EPOCHS.get(c), LM_LEARNING_RATE.get(c), VECTORS_MAX_WORDS.get(c), TRANSFORMER.get(c));
    }
}
