package com.aiphoto.opsctl.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Makes the table checksums describe exactly what the dump contains. The dump reads one InnoDB snapshot (its
 * --single-transaction); the checksums are computed in a second session that must read the same one. So:
 * a lock session takes {@code LOCK TABLES ... READ} on every table (writers wait; readers do not), the checksum
 * session starts its consistent snapshot, the dump is started and starts its own, and as soon as the dump's
 * output shows it is past that point ({@link #release()}), the lock is dropped. Between the two snapshots no
 * write could commit, so they are the same; writers were held up for the dump tool's start-up only.
 * <p>
 * Without the LOCK TABLES privilege the snapshots are only taken at about the same moment ("approximate" in
 * the manifest, with a warning): verify may then report rows written in between.
 */
final class DumpSnapshot implements AutoCloseable {
    private static final int ACCESS_DENIED_DB = 1044;
    private static final int ACCESS_DENIED_TABLE = 1142;

    private final String database;
    private final Connection snapshot;
    private final Connection lock;
    private final List<String> tables;
    private final String schemaVersion;
    private final String serverVersion;
    private volatile boolean released;

    private DumpSnapshot(
            String database,
            Connection snapshot,
            Connection lock,
            List<String> tables,
            String schemaVersion,
            String serverVersion) {
        this.database = database;
        this.snapshot = snapshot;
        this.lock = lock;
        this.tables = tables;
        this.schemaVersion = schemaVersion;
        this.serverVersion = serverVersion;
    }

    static DumpSnapshot open(DataSource ds, String database, Consumer<String> warn) throws SQLException {
        Connection snapshot = ds.getConnection();
        Connection lock = null;
        try {
            List<String> tables = TableChecksums.baseTables(snapshot, database);
            lock = lockAll(ds, database, tables, warn);
            snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // the pool's is READ COMMITTED
            snapshot.setAutoCommit(false);
            try (Statement st = snapshot.createStatement()) {
                st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            }
            return new DumpSnapshot(
                    database,
                    snapshot,
                    lock,
                    tables,
                    schemaVersion(snapshot, database, tables),
                    serverVersion(snapshot));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(lock);
            closeQuietly(snapshot);
            throw e;
        }
    }

    /** The lock session, or null when there is nothing to lock or no privilege to (then warns). */
    private static Connection lockAll(DataSource ds, String database, List<String> tables, Consumer<String> warn)
            throws SQLException {
        if (tables.isEmpty()) {
            return null;
        }
        Connection c = ds.getConnection();
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION lock_wait_timeout = 30"); // a long write transaction must not hang the backup
            st.execute("LOCK TABLES "
                    + tables.stream()
                            .map(t -> TableChecksums.quote(database) + "." + TableChecksums.quote(t) + " READ")
                            .collect(Collectors.joining(", ")));
            return c;
        } catch (SQLException e) {
            c.close();
            if (e.getErrorCode() == ACCESS_DENIED_DB || e.getErrorCode() == ACCESS_DENIED_TABLE) {
                warn.accept("no LOCK TABLES privilege on " + database + ": the table checksums are taken at about"
                        + " the same moment as the dump, not exactly; grant LOCK TABLES for an exact verify");
                return null;
            }
            throw e;
        }
    }

    boolean aligned() {
        return lock != null || tables.isEmpty();
    }

    String schemaVersion() {
        return schemaVersion;
    }

    String serverVersion() {
        return serverVersion;
    }

    /** The dump's snapshot has started: writers may go on. Idempotent. */
    void release() throws SQLException {
        if (!released && lock != null) {
            released = true;
            try (Statement st = lock.createStatement()) {
                st.execute("UNLOCK TABLES");
            }
        }
        released = true;
    }

    /** Row counts and checksums of every table, as of the snapshot (run beside the dump, on its own thread). */
    List<TableChecksums.TableSum> checksums() throws SQLException {
        return TableChecksums.compute(snapshot, database, tables, TableChecksums.Method.V2, true);
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

    private static String schemaVersion(Connection c, String database, List<String> tables) throws SQLException {
        if (!tables.contains("flyway_schema_history")) {
            return "none";
        }
        MigrationVersion max = null;
        try (Statement st = c.createStatement()) {
            st.execute("SAVEPOINT " + TableChecksums.SAVEPOINT); // no metadata lock kept: see TableChecksums
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
