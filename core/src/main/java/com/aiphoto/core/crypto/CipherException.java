package com.aiphoto.core.crypto;

/**
 * A stored value that cannot be decrypted or a value that cannot be encrypted. The message says why in terms of
 * the stored form (key version, tampering, malformed) and never carries a key or plaintext.
 */
public final class CipherException extends RuntimeException {
    CipherException(String message) {
        super(message);
    }

    CipherException(String message, Throwable cause) {
        super(message, cause);
    }
}
