package com.aiphoto.server.platform;

import java.util.Map;

/**
 * A failure the client should see as a JSON error envelope with {@link ErrorCode}'s status and code. The message
 * is shown to the client, so it must never carry SQL, stack traces or secrets.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode error;
    private final Map<String, String> headers;

    public ApiException(ErrorCode error) {
        this(error, error.defaultMessage());
    }

    public ApiException(ErrorCode error, String message) {
        this(error, message, Map.of(), null);
    }

    public ApiException(ErrorCode error, String message, Map<String, String> headers, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    /** 400/4001 naming the offending field. */
    public static ApiException invalid(String field, String problem) {
        return new ApiException(ErrorCode.INVALID_PARAMETER, field + ": " + problem);
    }

    public ErrorCode error() {
        return error;
    }

    /** Extra response headers (e.g. {@code Retry-After}, {@code Allow}). */
    public Map<String, String> headers() {
        return headers;
    }
}
