package com.aiphoto.core.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * One migrator at a time, across processes and hosts: a MySQL named lock ({@code GET_LOCK}) held on a
 * connection of its own for the whole run. The server releases it when that connection ends, so a killed
 * migrator never leaves it behind. Who holds it is written to {@code ops_migration_lock} with the holder's
 * connection id, so waiters and {@code db status} can name the holder, and a row left by a dead holder is
 * recognised as stale (its connection id no longer owns the lock).
 * <p>
 * H2 has no named locks; an embedded H2 file is opened by one process only, so there is nothing to lock.
 */
final class MigrationLock implements AutoCloseable {
    static final String TABLE = "ops_migration_lock";

    /** Suffix of the second named lock, held by the session that executes the statements. */
    private static final String STATEMENT_LOCK = ".stmt";

    private final Connection connection;
    private final String name;

    private MigrationLock(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    /** Who holds a lock: what they are running, since when. */
    record Holder(String who, Instant since) {
        String describe() {
            return who + (since == null ? "" : ", since " + since);
        }
    }

    /**
     * Takes the lock, waiting up to {@code wait}; {@code waiting} hears once who holds it when it is taken.
     *
     * @throws MigrationRefusedException when it is still held after {@code wait}, naming the holder
     */
    static MigrationLock acquire(
            DataSource ds, Dialect dialect, String actor, Duration wait, Clock clock, Consumer<String> waiting)
            throws SQLException {
        if (dialect == Dialect.H2) {
            return new MigrationLock(null, null);
        }
        Connection c = ds.getConnection();
        try {
            String name = lockName(c);
            if (!getLock(c, name, 0)) {
                waiting.accept("waiting up to " + wait.toSeconds() + "s for the migration lock held by "
                        + holder(c).map(Holder::describe).orElse("another session"));
                if (!getLock(c, name, wait.toSeconds())) {
                    String by = holder(c).map(Holder::describe).orElse("another session");
                    throw new MigrationRefusedException("migration lock still held after " + wait.toSeconds() + "s by "
                            + by + "; try again later, or raise --wait");
                }
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + TABLE + " WHERE lock_name = ?");
                    PreparedStatement ins = c.prepareStatement("INSERT INTO " + TABLE
                            + " (lock_name, connection_id, holder, acquired_at) VALUES (?, CONNECTION_ID(), ?, ?)")) {
                del.setString(1, name);
                del.executeUpdate();
                ins.setString(1, name);
                ins.setString(2, Strings.cut(actor, 255));
                ins.setTimestamp(3, Timestamp.from(clock.instant()));
                ins.executeUpdate();
            }
            return new MigrationLock(c, name);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The current holder, if the lock is held (by anyone, including this process). */
    static Optional<Holder> holder(Connection c) throws SQLException {
        String name = lockName(c);
        Long owner = usedBy(c, name);
        if (owner == null) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT holder, acquired_at FROM " + TABLE + " WHERE lock_name = ? AND connection_id = ?")) {
            ps.setString(1, name);
            ps.setLong(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(
                            new Holder(rs.getString(1), rs.getTimestamp(2).toInstant()));
                }
            }
        } catch (SQLException e) {
            // no table yet: the holder is something that does not write it
        }
        return Optional.of(new Holder("database connection " + owner, null));
    }

    /**
     * A killed migrator's connection ends at once, freeing the migration lock, but a statement it had sent goes on
     * running on the server until it finishes. So the session executing statements holds a second lock
     * ({@link #holdForStatements}), which the server frees only when that session really ends (after rolling
     * back its open transaction). Called under the migration lock: waits up to {@code wait} for a statement left
     * running by an earlier run to end, naming it.
     *
     * @throws MigrationRefusedException when it is still running after {@code wait}
     */
    void awaitOrphanedStatement(Duration wait, Consumer<String> waiting) throws SQLException {
        if (connection == null) {
            return;
        }
        String stmtLock = name + STATEMENT_LOCK;
        Optional<String> running = orphan(connection, stmtLock);
        if (running.isEmpty()) {
            return;
        }
        waiting.accept("waiting up to " + wait.toSeconds() + "s for a statement an interrupted migrator left"
                + " running on the server (" + running.get() + ")");
        if (!getLock(connection, stmtLock, wait.toSeconds())) {
            String still = orphan(connection, stmtLock).orElse(running.get());
            throw new MigrationRefusedException("a statement an interrupted migrator left running on the server"
                    + " is still running after " + wait.toSeconds() + "s (" + still + "); nothing was run: wait"
                    + " for it to end (or stop it with KILL QUERY), then re-run");
        }
        release(connection, stmtLock);
    }

    /** Takes the statement lock on {@code work}, the session about to execute migration statements (MySQL only). */
    void holdForStatements(Connection work) throws SQLException {
        if (connection != null && !getLock(work, name + STATEMENT_LOCK, 0)) {
            throw new MigrationRefusedException("another session started executing migration statements");
        }
    }

    /** Releases what {@link #holdForStatements} took (its session's end does too). */
    void releaseStatements(Connection work) throws SQLException {
        if (connection != null) {
            release(work, name + STATEMENT_LOCK);
        }
    }

    /** "connection 42, 12 s: UPDATE big SET n = n + 1" of the session holding the statement lock, if any. */
    private static Optional<String> orphan(Connection c, String stmtLock) throws SQLException {
        Long owner = usedBy(c, stmtLock);
        if (owner == null) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT TIME, LEFT(INFO, 100)" + " FROM information_schema.PROCESSLIST WHERE ID = ?")) {
            ps.setLong(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String sql = rs.getString(2);
                    return Optional.of("connection " + owner + ", " + rs.getLong(1) + " s"
                            + (sql == null ? "" : ": " + Strings.oneLine(sql)));
                }
            }
        }
        return Optional.of("connection " + owner);
    }

    @Override
    public void close() throws SQLException {
        if (connection == null) {
            return;
        }
        try (connection;
                PreparedStatement del = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE lock_name = ?");
                PreparedStatement rel = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            del.setString(1, name);
            del.executeUpdate();
            rel.setString(1, name);
            rel.executeQuery().close();
        }
    }

    /** The connection id holding a named lock, or null when it is free. */
    private static Long usedBy(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1) == null ? null : rs.getLong(1);
            }
        }
    }

    private static void release(Connection c, String name) throws SQLException {
        try (PreparedStatement rel = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            rel.setString(1, name);
            rel.executeQuery().close();
        }
    }

    private static boolean getLock(Connection c, String name, long seconds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, name);
            ps.setLong(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    /** Named locks are server-wide: the name carries the database so installations sharing a server are apart. */
    private static String lockName(Connection c) throws SQLException {
        String db = c.getCatalog() == null ? "" : c.getCatalog();
        String name = "ai_photo_migrate." + db;
        if (name.length() <= 64 - STATEMENT_LOCK.length()) {
            return name;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(db.getBytes(StandardCharsets.UTF_8));
            return "ai_photo_migrate." + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
