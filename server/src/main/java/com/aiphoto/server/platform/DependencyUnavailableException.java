package com.aiphoto.server.platform;

/** A dependency (database, Redis, storage) cannot be reached; the API answers 503/5030 and the caller may retry. */
public class DependencyUnavailableException extends RuntimeException {
    public DependencyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
