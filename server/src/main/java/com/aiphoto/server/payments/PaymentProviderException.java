package com.aiphoto.server.payments;

/**
 * WeChat Pay could not be reached or answered with an error. The message is safe to log (no keys, no
 * signatures); {@link #retryable()} says whether trying again later may succeed.
 */
final class PaymentProviderException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    PaymentProviderException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    boolean retryable() {
        return retryable;
    }
}
