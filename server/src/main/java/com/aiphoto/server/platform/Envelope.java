package com.aiphoto.server.platform;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The wire shapes every API response uses (spec api.md, "Envelope and errors"). */
public final class Envelope {
    private Envelope() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Success<T>(boolean success, T data, String message) {
        public Success(T data) {
            this(true, data, null);
        }
    }

    public record Failure(boolean success, Error error, String requestId) {
        public Failure(int code, String message, String requestId) {
            this(false, new Error(code, message), requestId);
        }
    }

    public record Error(int code, String message) {}
}
