package dev.nightjar.model.family;

import dev.nightjar.model.Network;

/**
 * An architecture family: everything that differs between architectures, behind one interface, so
 * the trainer, checkpoints, bundles, {@code evaluate}, {@code score}, {@code benchmark} and the
 * registry never switch on a kind. A new family is a new implementation plus one line in
 * {@link Families}.
 */
public interface ModelFamily {
    /** The family's name: the {@code model.family} value and the kind recorded in its bundles' provenance. */
    String name();

    /** One line for {@code --help} and the docs. */
    String description();

    /**
     * Its config sections (keys with default, doc and validator): they join the schema through
     * {@link Families#sections()}. Shared sections (the optimizer) may appear in several families.
     */
    java.util.List<dev.nightjar.config.Section> sections();

    /** The dataset kind it trains on and is evaluated and scored on. */
    DatasetKind dataset();

    /** How its models are measured. */
    MetricsKind metrics();

    /**
     * Everything one training run needs: the network (fresh, or warm-started from
     * {@link SetupContext#initFrom()}), per-epoch changes and the bundle's network. Fails with a
     * {@code UserException} naming the key or the bundle when the config or the warm start does not fit.
     */
    TrainingSetup setup(SetupContext context);

    /** How records feed a network of this family: in training, validation, evaluation and benchmarks. */
    default InputEncoding input(Network net) {
        return InputEncoding.of(dataset());
    }

    /**
     * How {@code generate} reads one more token of a language model of this family: carried state or a sliding window.
     * Families that do not model text refuse.
     */
    default dev.nightjar.text.NextTokens nextTokens(Network net, dev.nightjar.text.Tokenizer tokenizer) {
        throw new dev.nightjar.UserException("generate needs a language model; this model is a " + name());
    }
}
