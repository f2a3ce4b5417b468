package com.aiphoto.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Builds the HikariCP pool both the server and opsctl use. */
public final class DataSources {
    private DataSources() {}

    /** What the pool serves; it decides which of the database bounds apply. */
    public enum Workload {
        /**
         * API requests: besides the connect bounds, a socket timeout (a frozen server or network fails the
         * statement instead of hanging the thread) and per-session {@code innodb_lock_wait_timeout} and
         * {@code lock_wait_timeout}, so a locked table gives an error in seconds, not MariaDB's default of a day.
         */
        REQUESTS,
        /** Operations (opsctl, migrations): connect bounds only, since a long ALTER or dump may be silent for minutes. */
        OPERATIONS
    }

    /** An {@link Workload#OPERATIONS} pool. */
    public static HikariDataSource create(DatabaseSettings db, String poolName) {
        return create(db, poolName, Workload.OPERATIONS);
    }

    /**
     * A pool that starts even when the database is down (readiness reports it; requests get 503) and gives up
     * on a connection after {@code connectTimeout} instead of hanging the caller.
     */
    public static HikariDataSource create(DatabaseSettings db, String poolName, Workload workload) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(poolName);
        c.setJdbcUrl(db.jdbcUrl());
        if (db.embedded()) {
            c.setUsername("sa");
            c.setPassword("");
        } else {
            c.setUsername(db.user());
            c.setPassword(db.password());
            if (workload == Workload.REQUESTS) {
                // both drivers read socketTimeout (milliseconds) from the connection properties
                c.addDataSourceProperty(
                        "socketTimeout", Long.toString(db.socketTimeout().toMillis()));
                int lockWait = DatabaseSettings.seconds(db.lockWaitTimeout());
                c.setConnectionInitSql(
                        "SET SESSION innodb_lock_wait_timeout = " + lockWait + ", lock_wait_timeout = " + lockWait);
            }
        }
        c.setMinimumIdle(Math.min(db.poolMin(), db.poolMax()));
        c.setMaximumPoolSize(db.poolMax());
        c.setConnectionTimeout(Math.max(250, db.connectTimeout().toMillis()));
        c.setValidationTimeout(Math.max(250, Math.min(db.connectTimeout().toMillis(), 2000)));
        c.setInitializationFailTimeout(-1);
        c.setAutoCommit(true);
        c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // no statements of the pool's own on the request path: validation is the driver's ping (isValid, and only
        // for a connection idle over 500 ms), never a connectionTestQuery; internal queries share the session
        c.setIsolateInternalQueries(false);
        return new HikariDataSource(c);
    }
}
