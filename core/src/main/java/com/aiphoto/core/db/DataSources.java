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
                c.setConnectionInitSql(requestSessionSql(db));
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

    /**
     * The request pool's session limits, set once per connection: lock waits, and the statement time limit of
     * {@code DB_QUERY_TIMEOUT} enforced by the server itself, not by the driver. mysql-connector-j implements
     * {@code Statement.setQueryTimeout} with a {@code java.util.Timer} task scheduled and cancelled around every
     * statement (a monitor every request thread of a connection takes; 10-15 % of the server's CPU in a JFR
     * profile of {@code /api/task/list}). Executable comments pick the server's variable: MariaDB runs
     * {@code /*M!...}{@code *}{@code /} (max_statement_time, seconds, every statement) and skips MySQL's 5-digit
     * {@code /*!80000}, which MySQL 8 runs (max_execution_time, milliseconds, SELECTs only: its writes are bounded
     * by the lock wait and {@code DB_SOCKET_TIMEOUT}).
     */
    static String requestSessionSql(DatabaseSettings db) {
        int lockWait = DatabaseSettings.seconds(db.lockWaitTimeout());
        String sql = "SET SESSION innodb_lock_wait_timeout = " + lockWait + ", lock_wait_timeout = " + lockWait;
        if (!db.queryTimeout().isZero()) {
            int q = db.queryTimeoutSeconds();
            sql += " /*M!100108 , max_statement_time = " + q + " */ /*!80000 , max_execution_time = " + q * 1000L
                    + " */";
        }
        return sql;
    }
}
