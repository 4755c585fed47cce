package dev.nightjar.spark;

import dev.nightjar.model.Network;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The broadcast model, deserialised once per executor task thread rather than once per partition: the
 * tasks of a stage (and of later stages with the same broadcast) run on pooled threads, and each keeps
 * the network it last read. Reading a model zip costs a check, an unzip and DL4J's JSON parsing and
 * parameter copy; a scoring job of many small partitions paid it for each. A DL4J network is not safe
 * for two threads at once, so the cache is one network per thread, for the newest broadcast it saw.
 */
public final class ExecutorNetworks {
    private record Cached(long broadcastId, Network network) {
    }

    private static final ThreadLocal<Cached> CACHE = new ThreadLocal<>();

    private ExecutorNetworks() {
    }

    /** The network the broadcast model zip holds, without updater state: this thread's copy when it has one. */
    public static Network of(Broadcast<byte[]> model) {
        Cached cached = CACHE.get();
        if (cached != null && cached.broadcastId() == model.id()) {
            return cached.network();
        }
        CACHE.remove(); // the old network may go before the new one is read
        try {
            Network net = Network.fromBytes(model.value(), false);
            CACHE.set(new Cached(model.id(), net));
            return net;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the broadcast model", e);
        }
    }
}
