package com.aiphoto.server.tasks;

/**
 * A provider (COS image processing, RunningHub, the local engines) could not do a step. Transient failures
 * (timeouts, 5xx, RunningHub's queue-full codes) are retried with back-off until the task's deadline; permanent
 * ones fail the task at once (and refund it). The message names what failed and never carries a credential.
 */
public final class ProviderException extends RuntimeException {
    private final boolean transientFailure;

    private ProviderException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public static ProviderException transientFailure(String message) {
        return new ProviderException(message, true, null);
    }

    public static ProviderException transientFailure(String message, Throwable cause) {
        return new ProviderException(message, true, cause);
    }

    public static ProviderException permanent(String message) {
        return new ProviderException(message, false, null);
    }

    public static ProviderException permanent(String message, Throwable cause) {
        return new ProviderException(message, false, cause);
    }

    /** True when a later attempt may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }
}
