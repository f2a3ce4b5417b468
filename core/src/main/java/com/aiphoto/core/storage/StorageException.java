package com.aiphoto.core.storage;

/** The storage failed (I/O, COS unreachable or refusing); never "no such object", which is an empty answer. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
