package com.aiphoto.core.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * While a migration's statements run: on SIGINT or SIGTERM (the JVM's shutdown), {@code KILL QUERY} the one
 * running, so that it does not go on changing data on the server after this process has gone, then give the
 * migrating thread a moment to record where it stopped. A kill -9 cannot be caught; the statement lock in
 * {@link MigrationLock} covers that case.
 */
final class SignalGuard implements AutoCloseable {
    private static final long RECORD_WAIT_SECONDS = 10;

    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;

    private SignalGuard(DataSource ds, long connectionId) {
        this.hook = connectionId < 0 ? null : new Thread(() -> stop(ds, connectionId), "migration-signal-guard");
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** Guards the statements {@code work} is about to run (MySQL only: H2 runs in this process and dies with it). */
    static SignalGuard install(DataSource ds, Dialect dialect, Connection work) throws SQLException {
        if (dialect != Dialect.MYSQL) {
            return new SignalGuard(ds, -1);
        }
        try (Statement st = work.createStatement();
                ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return new SignalGuard(ds, rs.getLong(1));
        }
    }

    /** Whether the process is being stopped: a statement failing now was killed by {@link #stop}. */
    boolean stopping() {
        return stopping;
    }

    private void stop(DataSource ds, long connectionId) {
        stopping = true;
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute("KILL QUERY " + connectionId);
        } catch (SQLException e) {
            // the pool or server is gone: the statement lock still keeps a re-run from starting beside it
        }
        try {
            finished.await(RECORD_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        finished.countDown();
        if (hook != null && !stopping) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it returns as soon as it sees finished
            }
        }
    }
}
