package dev.nightjar.data.text;

import java.io.Serializable;
import java.util.List;

/**
 * One corpus to read: paths (files, directories or globs; local or hdfs://) in one format.
 *
 * @param format  lines | text | csv | jsonl | parquet
 * @param textCol   the text column (csv, jsonl, parquet); for a csv without header, its 0-based index
 * @param delimiter lines: what ends a document instead of a line end (e.g. "\n%\n" between fortunes); null = LF or CRLF
 * @param paths     what to read
 */
public record TextInput(String format, String textCol, String delimiter, List<String> paths) implements Serializable {
    public TextInput {
        paths = List.copyOf(paths);
        if (delimiter != null && delimiter.isEmpty()) {
            throw new dev.nightjar.UserException("an empty document delimiter would split nothing");
        }
    }

    /** A corpus without a custom delimiter. */
    public TextInput(String format, String textCol, List<String> paths) {
        this(format, textCol, null, paths);
    }

    @Override
    public String toString() {
        return format + (textCol == null ? "" : "[" + textCol + "]")
                + (delimiter == null ? "" : " delimited by " + delimiter.replace("\n", "\\n").replace("\r", "\\r")) + " " + paths;
    }
}
