package com.aiphoto.core.db;

import java.sql.SQLException;

/** A statement run through {@link Jdbc} failed; the cause is the driver's {@link SQLException}. */
public class DataAccessException extends RuntimeException {
    public DataAccessException(String message, SQLException cause) {
        super(message, cause);
    }
}
