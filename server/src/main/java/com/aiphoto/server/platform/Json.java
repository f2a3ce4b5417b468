package com.aiphoto.server.platform;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/**
 * The one JSON mapper (ISO-8601 UTC times with milliseconds, not epoch numbers) and the request-body reader that turns every kind of bad
 * input into 400/4001 naming the field, or 413, instead of a 500.
 */
public final class Json {
    private final ObjectMapper mapper;
    private final long maxBody;

    public Json(long maxBody) {
        this.mapper = JsonMapper.builder()
                .findAndAddModules()
                .addModule(timestamps())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        // a number where a string is expected (or "5" where a number is) is a wrong type, not something to guess at
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType numeric : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(numeric)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        this.maxBody = maxBody;
    }

    /**
     * api.md: every timestamp is ISO-8601 UTC with exactly three fraction digits. JavaTimeModule leaves out a zero
     * fraction and keeps nanoseconds, and its formatter is not configurable for Instant; registered after it, these
     * take precedence.
     */
    private static SimpleModule timestamps() {
        DateTimeFormatter format =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        SimpleModule module = new SimpleModule("utc-millis");
        module.addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(format.format(value));
            }
        });
        module.addSerializer(OffsetDateTime.class, new StdSerializer<>(OffsetDateTime.class) {
            @Override
            public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider)
                    throws IOException {
                gen.writeString(format.format(value.toInstant()));
            }
        });
        return module;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public long maxBody() {
        return maxBody;
    }

    /** Reads the request body as {@code type}; an empty body is a 400 too. */
    public <T> T read(ServerRequest req, Class<T> type) {
        return parse(req, body(req), type);
    }

    /**
     * The raw request body, bounded by the JSON limit (413 beyond it, 400 when empty): for handlers that must see
     * the exact bytes (a signature over them) before {@link #parse}.
     */
    public byte[] body(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1L);
        if (declared > maxBody) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (body.length > maxBody) {
                throw tooLarge();
            }
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "request body could not be read");
        }
        if (body.length == 0) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "request body must be a JSON object");
        }
        return body;
    }

    /** Parses {@code body} (read by {@link #body} from {@code req}, whose Content-Type must be JSON) as {@code type}. */
    public <T> T parse(ServerRequest req, byte[] body, Class<T> type) {
        if (req.headers()
                .contentType()
                .map(ct -> !ct.mediaType().subtype().contains("json"))
                .orElse(false)) {
            throw new ApiException(
                    ErrorCode.INVALID_PARAMETER,
                    "Content-Type must be application/json, got "
                            + req.headers().get(HeaderNames.CONTENT_TYPE).get());
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER, "request body must be a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw badJson(e);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "request body could not be read");
        }
    }

    /** Maps a Jackson failure to a client message that names the field but never echoes internals. */
    static ApiException badJson(JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return new ApiException(ErrorCode.INVALID_PARAMETER, "malformed JSON");
        }
        String field = e instanceof JsonMappingException jme ? path(jme) : "";
        String what;
        if (e instanceof InvalidFormatException ife
                && ife.getTargetType() != null
                && ife.getTargetType().isEnum()) {
            what = "unknown value";
        } else if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
            what = "wrong type, expected " + describe(mie.getTargetType());
        } else {
            what = "invalid value";
        }
        return field.isEmpty()
                ? new ApiException(ErrorCode.INVALID_PARAMETER, "request body: " + what)
                : ApiException.invalid(field, what);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type.isEnum()) {
            return "one of the allowed values";
        }
        if (type.isArray() || Iterable.class.isAssignableFrom(type)) {
            return "array";
        }
        return "object";
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "request body too large (limit " + maxBody + " bytes)");
    }
}
