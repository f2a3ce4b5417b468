package com.aiphoto.opsctl.cert;

/** A certificate operation failed; the message is the one line the operator sees. */
public final class CertException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CertException(String message) {
        super(message);
    }

    public CertException(String message, Throwable cause) {
        super(message, cause);
    }
}
