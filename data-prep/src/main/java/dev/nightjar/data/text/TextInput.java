package dev.nightjar.data.text;

import java.io.Serializable;
import java.util.List;

/**
 * One corpus to read: paths (files, directories or globs; local or hdfs://) in one format.
 *
 * @param format  lines | text | csv | jsonl | parquet
 * @param textCol the text column (csv, jsonl, parquet); for a csv without header, its 0-based index
 * @param paths   what to read
 */
public record TextInput(String format, String textCol, List<String> paths) implements Serializable {
    public TextInput {
        paths = List.copyOf(paths);
    }

    @Override
    public String toString() {
        return format + (textCol == null ? "" : "[" + textCol + "]") + " " + paths;
    }
}
