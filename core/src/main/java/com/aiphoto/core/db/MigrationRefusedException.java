package com.aiphoto.core.db;

/**
 * Nothing was changed because a precondition does not hold: the lock is held, a down script is missing, the
 * files do not match what was applied. opsctl exits 3 on it.
 */
public class MigrationRefusedException extends MigrationException {
    public MigrationRefusedException(String message) {
        super(message);
    }
}
