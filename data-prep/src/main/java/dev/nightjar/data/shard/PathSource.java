package dev.nightjar.data.shard;

import org.nd4j.common.loader.Source;

import java.io.InputStream;

/** A loader Source that only names a record path; the shard loaders open records themselves. */
public record PathSource(String path) implements Source {
    @Override
    public InputStream getInputStream() {
        throw new UnsupportedOperationException("the shard loader opens " + path + " itself");
    }

    @Override
    public String getPath() {
        return path;
    }
}
