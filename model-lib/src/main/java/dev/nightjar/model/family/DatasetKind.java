package dev.nightjar.model.family;

import dev.nightjar.UserException;

/** What a dataset directory holds, as its manifest names it; a model family trains on one kind. */
public enum DatasetKind {
    /** Images with class labels (IDX files or class folders). */
    IMAGE("image"),
    /** Token sequences for next-token prediction. */
    LANGUAGE_MODEL("lm"),
    /** Tokenized documents with class labels. */
    CLASSIFICATION("classification");

    private final String manifestName;

    DatasetKind(String manifestName) {
        this.manifestName = manifestName;
    }

    /** The name in {@code manifest.json} and in the shard headers. */
    public String manifestName() {
        return manifestName;
    }

    /** The kind a manifest names; a clear error for any other. */
    public static DatasetKind ofManifest(String name, String dir) {
        for (DatasetKind k : values()) {
            if (k.manifestName.equals(name)) {
                return k;
            }
        }
        throw new UserException("dataset kind '" + name + "' is not supported: " + dir);
    }
}
