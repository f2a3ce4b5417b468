package com.aiphoto.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Builds the HikariCP pool both the server and opsctl use. */
public final class DataSources {
    private DataSources() {
    }

    /**
     * A pool that starts even when the database is down (readiness reports it; requests get 503) and gives up
     * on a connection after {@code connectTimeout} instead of hanging the caller.
     */
    public static HikariDataSource create(DatabaseSettings db, String poolName) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(poolName);
        c.setJdbcUrl(db.jdbcUrl());
        if (db.embedded()) {
            c.setUsername("sa");
            c.setPassword("");
        } else {
            c.setUsername(db.user());
            c.setPassword(db.password());
        }
        c.setMinimumIdle(Math.min(db.poolMin(), db.poolMax()));
        c.setMaximumPoolSize(db.poolMax());
        c.setConnectionTimeout(Math.max(250, db.connectTimeout().toMillis()));
        c.setValidationTimeout(Math.max(250, Math.min(db.connectTimeout().toMillis(), 2000)));
        c.setInitializationFailTimeout(-1);
        c.setAutoCommit(true);
        c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        return new HikariDataSource(c);
    }
}
