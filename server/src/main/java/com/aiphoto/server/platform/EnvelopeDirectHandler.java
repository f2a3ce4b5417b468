package com.aiphoto.server.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Helidon answers some failures before routing runs (unparseable HTTP, a body over the listener's limit): this
 * gives those the same JSON envelope instead of plain text, and their access-log line.
 */
public final class EnvelopeDirectHandler implements DirectHandler {
    private static final Logger ACCESS = LoggerFactory.getLogger("access");
    private final ObjectMapper mapper;

    public EnvelopeDirectHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status defaultStatus,
            ServerResponseHeaders responseHeaders,
            String message) {
        ErrorCode code = switch (defaultStatus.code()) {
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.UNAVAILABLE;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NO_ROUTE;
            // any other client error found by the parser (414 URI too long, 431 headers too large, 505, ...)
            default ->
                defaultStatus.code() < 500 || defaultStatus.code() == 505
                        ? ErrorCode.INVALID_PARAMETER
                        : ErrorCode.INTERNAL;
        };
        String id = request.headers()
                .first(RequestIds.HEADER)
                .filter(RequestIds::isSane)
                .orElseGet(RequestIds::generate);
        logAccess(request, defaultStatus, id);
        byte[] body;
        try {
            // Helidon's own message may describe parser internals: clients get the stable text instead
            body = mapper.writeValueAsBytes(new Envelope.Failure(code.code(), code.defaultMessage(), id));
        } catch (JsonProcessingException e) {
            body = ("{\"success\":false,\"error\":{\"code\":" + code.code() + "}}").getBytes(StandardCharsets.UTF_8);
        }
        return TransportResponse.builder()
                .status(defaultStatus)
                .headers(responseHeaders)
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .header(RequestIds.HEADER, id)
                .entity(body)
                .build();
    }

    /** RequestFilter never sees these requests: the same access line, with what the parser got of the request. */
    private static void logAccess(TransportRequest request, Status status, String id) {
        String method = request.method().isEmpty() ? "-" : request.method();
        String path = request.path();
        int query = path.indexOf('?');
        // the path only (query strings can carry callback tokens), and bounded: this may be a 414
        path = path.isEmpty() ? "-" : (query < 0 ? path : path.substring(0, query));
        path = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        MDC.put(RequestFilter.MDC_KEY, id);
        try {
            ACCESS.info(
                    "{} {} {} before routing",
                    method,
                    path,
                    status.code(),
                    new AccessLogEncoder.Field("method", method),
                    new AccessLogEncoder.Field("path", path),
                    new AccessLogEncoder.Field("status", status.code()));
        } finally {
            MDC.remove(RequestFilter.MDC_KEY);
        }
    }
}
