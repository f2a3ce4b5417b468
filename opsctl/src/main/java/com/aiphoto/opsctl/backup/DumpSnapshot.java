package com.aiphoto.opsctl.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Reads the schema version the dump's data has: from the dump's own InnoDB snapshot (its --single-transaction),
 * not from whatever a migration committed a moment later. A second session takes {@code LOCK TABLES
 * flyway_schema_history READ} (migrations wait; nothing else does), a snapshot session starts its consistent
 * snapshot and reads the version, the dump is started and starts its own, and as soon as the dump's output shows
 * it is past that point ({@link #release()}), the lock is dropped and the snapshot ended. No migration could
 * commit between the two snapshots, so the version is the dump's; only a migrator waits, for the dump tool's
 * start-up. The table checksums no longer need this: they come from the dump's bytes ({@link DumpDigests}).
 * <p>
 * Without the LOCK TABLES privilege the version is only read at about the same moment ("approximate" in the
 * manifest, with a warning).
 */
final class DumpSnapshot implements AutoCloseable {
    private static final int ACCESS_DENIED_DB = 1044;
    private static final int ACCESS_DENIED_TABLE = 1142;

    private static final String HISTORY = "flyway_schema_history";

    private final Connection snapshot;
    private final Connection lock;
    private final boolean hasHistory;
    private final String schemaVersion;
    private final String serverVersion;
    private volatile boolean released;

    private DumpSnapshot(
            Connection snapshot, Connection lock, boolean hasHistory, String schemaVersion, String serverVersion) {
        this.snapshot = snapshot;
        this.lock = lock;
        this.hasHistory = hasHistory;
        this.schemaVersion = schemaVersion;
        this.serverVersion = serverVersion;
    }

    static DumpSnapshot open(DataSource ds, String database, Consumer<String> warn) throws SQLException {
        Connection snapshot = ds.getConnection();
        Connection lock = null;
        try {
            boolean hasHistory = TableChecksums.baseTables(snapshot, database).contains(HISTORY);
            lock = hasHistory ? lockHistory(ds, database, warn) : null;
            snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // the pool's is READ COMMITTED
            snapshot.setAutoCommit(false);
            try (Statement st = snapshot.createStatement()) {
                st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            }
            return new DumpSnapshot(
                    snapshot,
                    lock,
                    hasHistory,
                    hasHistory ? schemaVersion(snapshot, database) : "none",
                    serverVersion(snapshot));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(lock);
            closeQuietly(snapshot);
            throw e;
        }
    }

    /** The lock session, or null without the privilege (then warns). */
    private static Connection lockHistory(DataSource ds, String database, Consumer<String> warn) throws SQLException {
        Connection c = ds.getConnection();
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION lock_wait_timeout = 30"); // a long write transaction must not hang the backup
            st.execute("LOCK TABLES " + TableChecksums.quote(database) + "." + TableChecksums.quote(HISTORY) + " READ");
            return c;
        } catch (SQLException e) {
            c.close();
            if (e.getErrorCode() == ACCESS_DENIED_DB || e.getErrorCode() == ACCESS_DENIED_TABLE) {
                warn.accept("no LOCK TABLES privilege on " + database + ": the schema version is read at about"
                        + " the same moment as the dump, not from its snapshot; grant LOCK TABLES for an exact one");
                return null;
            }
            throw e;
        }
    }

    boolean aligned() {
        return lock != null || !hasHistory;
    }

    String schemaVersion() {
        return schemaVersion;
    }

    String serverVersion() {
        return serverVersion;
    }

    /**
     * The dump's snapshot has started: migrations may go on, and this session's snapshot (read already) ends, so
     * it holds back no purge while the dump runs. Idempotent.
     */
    void release() throws SQLException {
        if (!released) {
            released = true;
            if (lock != null) {
                try (Statement st = lock.createStatement()) {
                    st.execute("UNLOCK TABLES");
                }
            }
            snapshot.rollback();
        }
    }

    @Override
    public void close() {
        try {
            release();
        } catch (SQLException e) {
            // closing the session drops its table locks anyway
        }
        closeQuietly(lock);
        try {
            snapshot.rollback();
        } catch (SQLException e) {
            // the connection is closed next, which ends the transaction
        }
        closeQuietly(snapshot);
    }

    private static String schemaVersion(Connection c, String database) throws SQLException {
        MigrationVersion max = null;
        try (Statement st = c.createStatement()) {
            st.execute("SAVEPOINT " + TableChecksums.SAVEPOINT); // its metadata lock goes at once, not at release
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM " + TableChecksums.quote(database)
                        + ".flyway_schema_history WHERE success = 1 AND version IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                MigrationVersion v = MigrationVersion.fromVersion(rs.getString(1));
                max = max == null || v.compareTo(max) > 0 ? v : max;
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("ROLLBACK TO SAVEPOINT " + TableChecksums.SAVEPOINT);
        }
        return max == null ? "none" : max.getVersion();
    }

    private static String serverVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // nothing left to do with it
            }
        }
    }
}
