package dev.nightjar.data.shard;

import dev.nightjar.UserException;

/** A shard that is truncated, corrupt or not a shard at all. The message names the file. */
public class ShardFormatException extends UserException {
    private static final long serialVersionUID = 1L;

    public ShardFormatException(String message) {
        super(message);
    }
}
