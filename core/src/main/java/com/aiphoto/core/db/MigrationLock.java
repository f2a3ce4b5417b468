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
    static MigrationLock acquire(DataSource ds, Dialect dialect, String actor, Duration wait, Clock clock,
                                 Consumer<String> waiting) throws SQLException {
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
                    throw new MigrationRefusedException("migration lock still held after " + wait.toSeconds()
                            + "s by " + by + "; try again later, or raise --wait");
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
        Long owner;
        try (PreparedStatement ps = c.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                owner = rs.getObject(1) == null ? null : rs.getLong(1);
            }
        }
        if (owner == null) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT holder, acquired_at FROM " + TABLE
                + " WHERE lock_name = ? AND connection_id = ?")) {
            ps.setString(1, name);
            ps.setLong(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(new Holder(rs.getString(1), rs.getTimestamp(2).toInstant()));
                }
            }
        } catch (SQLException e) {
            // no table yet: the holder is something that does not write it
        }
        return Optional.of(new Holder("database connection " + owner, null));
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
        if (name.length() <= 64) {
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
