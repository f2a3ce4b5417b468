package com.aiphoto.core.credentials;

/** Stored credentials that cannot be read: the message names the provider and the reason, never a value. */
public final class CredentialException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CredentialException(String message, Throwable cause) {
        super(message, cause);
    }
}
