package com.aiphoto.core.db;

import java.sql.SQLException;

/**
 * A statement failed part-way through a batch. The history records where (db status shows it); the statements
 * before it stay applied, as DDL on MySQL is not transactional. opsctl exits 1 on it.
 */
public class MigrationFailedException extends MigrationException {
    private final String script;
    private final int statement;

    public MigrationFailedException(String message, String script, int statement, SQLException cause) {
        super(message, cause);
        this.script = script;
        this.statement = statement;
    }

    public String script() {
        return script;
    }

    public int statement() {
        return statement;
    }
}
