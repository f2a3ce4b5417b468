package com.aiphoto.opsctl.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The one JSON mapper of opsctl: --json documents (typed result records) and backup manifests. Compact output,
 * record components in declaration order, instants as ISO-8601 strings and paths as plain strings, so a
 * document reads the same whichever command wrote it. Held lazily: commands that print no JSON never load
 * Jackson (start-up time).
 */
public final class Json {
    private Json() {}

    /** Initialised on first use only (the holder idiom); an ObjectMapper is thread-safe once configured. */
    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .registerModule(new SimpleModule("opsctl")
                        .addSerializer(Instant.class, ToStringSerializer.instance)
                        .addSerializer(Path.class, new ToStringSerializer(Path.class))
                        .addDeserializer(Instant.class, new InstantDeserializer()));
    }

    public static String write(Object value) {
        try {
            return Holder.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a document; an IllegalArgumentException saying what is wrong when it is not valid JSON. */
    public static JsonNode read(String text) {
        try {
            return Holder.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** Binds a parsed document to a record; an IllegalArgumentException naming the field that does not fit. */
    public static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return Holder.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** ISO-8601 instants, as {@link Instant#toString()} writes them. */
    private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            try {
                return text == null ? null : Instant.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) ctx.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
            }
        }
    }
}
