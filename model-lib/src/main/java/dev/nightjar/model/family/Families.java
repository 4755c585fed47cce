package dev.nightjar.model.family;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.config.Section;
import dev.nightjar.config.Setting;
import dev.nightjar.model.Embeddings;
import dev.nightjar.model.ModelBundle;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The registry of model families: the one place that lists them. {@code model.family} picks one
 * for {@code train}; {@code auto} takes the first listed for the dataset's kind. A bundle names its
 * family by the kind in its provenance.
 */
public final class Families {
    public static final String AUTO = "auto";

    private static final List<ModelFamily> ALL = List.of(
            new ImageClassifierFamily(),
            new ImageAutoencoderFamily(),
            new LanguageModelFamily(),
            new TransformerLmFamily(),
            new TextClassifierFamily(),
            new TextCnnFamily(),
            new TextBiLstmFamily(),
            new TransformerClassifierFamily());

    /** The config key that picks a family. */
    public static final Setting<String> FAMILY = Setting.oneOf("model.family", AUTO,
            Stream.concat(Stream.of(AUTO), ALL.stream().map(ModelFamily::name)).toList(),
            "The model family nightjar train builds; auto takes the default for the dataset's kind: "
                    + Arrays.stream(DatasetKind.values()).map(k -> ALL.stream().filter(f -> f.dataset() == k).findFirst()
                    .map(f -> f.name() + " on " + k.manifestName() + " data").orElse(null)).filter(Objects::nonNull)
                    .collect(Collectors.joining(", ")) + ".");

    public static final Section SECTION = new Section("model", "model family",
            "Which architecture family train builds; each family reads its own sections below. Families: "
                    + ALL.stream().map(f -> f.name() + " (" + f.description() + ")").collect(Collectors.joining("; ")) + ".",
            Families.class, FAMILY);

    private Families() {
    }

    /** The config sections of every family, each once, after {@link #SECTION}: what the schema adds for model families. */
    public static List<Section> sections() {
        LinkedHashSet<Section> all = new LinkedHashSet<>(List.of(SECTION));
        ALL.forEach(f -> all.addAll(f.sections()));
        return List.copyOf(all);
    }

    public static List<ModelFamily> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(ModelFamily::name).toList();
    }

    /** The family of this name; a clear error listing the known ones. */
    public static ModelFamily named(String name) {
        for (ModelFamily f : ALL) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new UserException("unknown model family '" + name + "' (known: " + String.join(", ", names()) + ")");
    }

    /** The family that made a bundle. */
    public static ModelFamily of(ModelBundle bundle) {
        if (Embeddings.KIND.equals(bundle.kind())) {
            throw new UserException("this bundle holds word vectors (prepare vectors), not a model: use it with --init-from and "
                    + "--tokenizer-from");
        }
        return named(bundle.kind());
    }

    /** The family {@code auto} takes for a dataset kind: the first listed for it. */
    public static ModelFamily defaultFor(DatasetKind data) {
        return ALL.stream().filter(f -> f.dataset() == data).findFirst()
                .orElseThrow(() -> new UserException("no model family trains on " + data.manifestName() + " datasets"));
    }

    /** The family {@code model.family} asks for, checked against the dataset it is to train on. */
    public static ModelFamily forTraining(Config c, DatasetKind data) {
        String name = FAMILY.get(c);
        if (name.equals(AUTO)) {
            return defaultFor(data);
        }
        ModelFamily f = named(name);
        if (f.dataset() != data) {
            throw new UserException("config key '" + FAMILY.key() + "' is " + name + ", which trains on " + f.dataset().manifestName()
                    + " datasets; this dataset holds " + data.manifestName() + " records");
        }
        return f;
    }
}
