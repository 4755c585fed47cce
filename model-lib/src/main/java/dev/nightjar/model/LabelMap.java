package dev.nightjar.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nightjar.UserException;
import dev.nightjar.util.Json;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Class names in index order; saved as {@code labels.json}. */
public final class LabelMap implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String FILE = "labels.json";
    private final List<String> labels;

    @JsonCreator
    public LabelMap(@JsonProperty("labels") List<String> labels) {
        if (labels == null || labels.size() < 2) {
            throw new UserException("a label map needs at least 2 labels, got " + labels);
        }
        if (labels.stream().distinct().count() != labels.size()) {
            throw new UserException("duplicate labels in " + labels);
        }
        this.labels = List.copyOf(labels);
    }

    @JsonProperty("labels")
    public List<String> labels() {
        return labels;
    }

    public int size() {
        return labels.size();
    }

    public String name(int index) {
        return labels.get(index);
    }

    public int indexOf(String name) {
        return labels.indexOf(name);
    }

    public Map<String, Integer> toIndex() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            m.put(labels.get(i), i);
        }
        return m;
    }

    public void save(Path dir) {
        Json.writeFile(dir.resolve(FILE), this);
    }

    public static LabelMap load(Path dir) {
        return Json.readFile(dir.resolve(FILE), LabelMap.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMap l && l.labels.equals(labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return labels.toString();
    }
}
