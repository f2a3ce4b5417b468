package com.aiphoto.core.db;

/** A migrate or rollback that did not happen or did not finish; the message is one line for the operator. */
public class MigrationException extends RuntimeException {
    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
