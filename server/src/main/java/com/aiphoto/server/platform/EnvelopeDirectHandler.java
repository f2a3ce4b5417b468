package com.aiphoto.server.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Helidon answers some failures before routing runs (unparseable HTTP, a body over the listener's limit): this
 * gives those the same JSON envelope instead of plain text.
 */
public final class EnvelopeDirectHandler implements DirectHandler {
    private final ObjectMapper mapper;

    public EnvelopeDirectHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        ErrorCode code = switch (defaultStatus.code()) {
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.UNAVAILABLE;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NO_ROUTE;
            // any other client error found by the parser (414 URI too long, 431 headers too large, 505, ...)
            default -> defaultStatus.code() < 500 || defaultStatus.code() == 505 ? ErrorCode.INVALID_PARAMETER
                    : ErrorCode.INTERNAL;
        };
        String id = request.headers().first(RequestIds.HEADER).filter(RequestIds::isSane)
                .orElseGet(RequestIds::generate);
        byte[] body;
        try {
            // Helidon's own message may describe parser internals: clients get the stable text instead
            body = mapper.writeValueAsBytes(new Envelope.Failure(code.code(), code.defaultMessage(), id));
        } catch (JsonProcessingException e) {
            body = ("{\"success\":false,\"error\":{\"code\":" + code.code() + "}}").getBytes();
        }
        return TransportResponse.builder()
                .status(defaultStatus)
                .headers(responseHeaders)
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .header(RequestIds.HEADER, id)
                .entity(body)
                .build();
    }
}
