package dev.nightjar.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.UserException;
import dev.nightjar.util.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A DL4J model zip checked before DL4J reads it. {@code ModelSerializer} deserializes a
 * {@code preprocessor.bin} entry with a plain {@code ObjectInputStream}, so a crafted zip could run
 * code on load. Nightjar never writes one: a zip holding any entry other than the four
 * {@code ModelSerializer.writeModel} writes without a normalizer ({@value #ALLOWED_NAMES}) is refused,
 * naming the file and the entry. DL4J is then given a zip rebuilt here from those entries only, so
 * nothing else reaches it, whatever its zip parser makes of the original.
 */
final class ModelZip {
    static final String CONFIGURATION = "configuration.json";
    static final Set<String> ALLOWED = Set.of(CONFIGURATION, "coefficients.bin", "updaterState.bin", "noParams.marker");
    static final String ALLOWED_NAMES = "configuration.json, coefficients.bin, updaterState.bin, noParams.marker";

    private final Map<String, byte[]> entries;

    private ModelZip(Map<String, byte[]> entries) {
        this.entries = entries;
    }

    /**
     * Reads a model zip's entries, refusing anything but the allowed ones.
     *
     * @param source how messages name the zip (its path)
     * @throws UserException for an unexpected, duplicate or directory entry, or no configuration.json
     */
    static ModelZip read(byte[] zip, String source) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                if (!ALLOWED.contains(name)) {
                    throw new UserException(source + " is refused: it holds '" + name + "', which a Nightjar model zip never has"
                            + " (only " + ALLOWED_NAMES + "); it is not deserialized");
                }
                if (entries.put(name, in.readAllBytes()) != null) {
                    throw new UserException(source + " is refused: it holds '" + name + "' twice");
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot read " + source + " (corrupt or not a zip): " + e.getMessage(), e);
        }
        if (!entries.containsKey(CONFIGURATION)) {
            throw new UserException("not a DL4J model: " + source + " has no " + CONFIGURATION);
        }
        return new ModelZip(entries);
    }

    /** Whether configuration.json describes a graph (it has {@code vertices}); a layer stack's has {@code confs}. */
    boolean isGraph(String source) {
        try {
            JsonNode conf = Json.MAPPER.readTree(entries.get(CONFIGURATION));
            return conf != null && conf.has("vertices");
        } catch (IOException e) {
            throw new UserException("cannot parse " + CONFIGURATION + " in " + source + ": " + e.getMessage(), e);
        }
    }

    /** A fresh zip of the checked entries only (stored, not compressed again: it is read once, in memory). */
    byte[] toBytes() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(buf)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }
}
