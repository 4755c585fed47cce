package dev.nightjar.data.image;

import dev.nightjar.UserException;
import dev.nightjar.model.LabelMap;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which classes a preparation keeps and how many examples of each ({@code prepare images --classes,
 * --per-class}), so one corpus yields a pretraining set and a disjoint few-label fine-tuning set.
 *
 * @param classes  class names or indices as the input's labels give them (labels.txt, folder names); empty = all
 * @param perClass at most this many examples per class in the train split (and in the test split of a test
 *                 preparation; validation keeps {@link #validationCap}); 0 = no limit
 */
public record ClassSelection(List<String> classes, int perClass) implements Serializable {
    public static final ClassSelection ALL = new ClassSelection(List.of(), 0);

    public ClassSelection {
        classes = List.copyOf(classes);
        if (perClass < 0) {
            throw new UserException("--per-class must be at least 1, got " + perClass);
        }
    }

    public boolean selectsClasses() {
        return !classes.isEmpty();
    }

    /**
     * Old label index → new index (0..k-1 in the input's label order), -1 for a class not selected.
     *
     * @param labels the input's labels
     * @param input  the input, for the message
     */
    public int[] relabel(LabelMap labels, String input) {
        int[] map = new int[labels.size()];
        if (!selectsClasses()) {
            for (int i = 0; i < map.length; i++) {
                map[i] = i;
            }
            return map;
        }
        Arrays.fill(map, -1);
        for (String c : classes) {
            map[indexOf(c, labels, input)] = 0;
        }
        int next = 0;
        for (int i = 0; i < map.length; i++) {
            if (map[i] == 0) {
                map[i] = next++;
            }
        }
        if (next < 2) {
            throw new UserException("--classes must select at least 2 classes of " + input + ", got " + classes);
        }
        return map;
    }

    /** The selected classes' names, in the input's label order. */
    public LabelMap labels(LabelMap labels, String input) {
        int[] map = relabel(labels, input);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < map.length; i++) {
            if (map[i] >= 0) {
                names.add(labels.name(i));
            }
        }
        return new LabelMap(names);
    }

    /** A class by name, else by index. */
    private static int indexOf(String c, LabelMap labels, String input) {
        String s = c.strip();
        int byName = labels.indexOf(s);
        if (byName >= 0) {
            return byName;
        }
        try {
            int i = Integer.parseInt(s);
            if (i >= 0 && i < labels.size()) {
                return i;
            }
        } catch (NumberFormatException e) {
            // not an index either
        }
        throw new UserException("--classes: '" + s + "' is neither a class name nor an index in [0, " + labels.size() + ") of "
                + input + " (its classes: " + labels + ")");
    }

    /**
     * Examples per class kept in the validation split: as many as keep the validation share of a
     * train preparation, {@code round(perClass * valFraction / (1 - valFraction))}, at least 1.
     */
    public static int validationCap(int perClass, double valFraction) {
        return valFraction <= 0 ? 0 : (int) Math.max(1, Math.round(perClass * valFraction / (1 - valFraction)));
    }
}
