package com.aiphoto.server.platform.kv;

/** Redis could not be reached or did not answer within {@code REDIS_TIMEOUT}. The server maps it to a 503. */
public class KvUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KvUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
