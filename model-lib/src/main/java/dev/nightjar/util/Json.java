package dev.nightjar.util;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nightjar.UserException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One shared Jackson mapper, and atomic JSON files. */
public final class Json {
    /** snake_case field names, pretty printed; Java records serialise as plain objects. */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line, for JSONL files. */
    public static String line(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes to a temporary sibling, then renames over the target. */
    public static void writeFile(Path file, Object value) {
        AtomicFiles.writeString(file, write(value) + "\n");
    }

    public static <T> T readFile(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("missing file: " + file);
        }
        try {
            return MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + reason(e), e);
        }
    }

    /**
     * Parses the content of a file a user or an operator can edit (a registry's LATEST, a provenance.json):
     * content that is not the JSON expected is a {@link UserException} naming {@code source}, on one line.
     *
     * @param source the file the JSON was read from
     */
    public static <T> T read(String json, Class<T> type, String source) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UserException("cannot parse " + source + " (corrupt or not the JSON expected): " + reason(e), e);
        }
    }

    /** Jackson's message on one line: what is wrong and where (Jackson puts the location on a second line). */
    public static String reason(IOException e) {
        if (e instanceof JsonProcessingException j) {
            String what = j.getOriginalMessage() == null ? j.getClass().getSimpleName() : j.getOriginalMessage().lines().findFirst().orElse("");
            return j.getLocation() == null ? what : what + " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    /** Parses JSON this program wrote itself in this run; for files see {@link #read(String, Class, String)}. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
