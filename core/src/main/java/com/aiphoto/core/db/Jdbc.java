package com.aiphoto.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Plain JDBC with the ceremony done once, in the spirit of Flyway's {@code JdbcTemplate}: query, update, insert
 * returning the generated key, and {@link #inTransaction} for work that must commit or roll back as a whole.
 * The server and opsctl use it for every multi-statement write, so both do the same thing the same way.
 *
 * <p>Every statement gets the query timeout given here. {@link Instant} parameters are bound as UTC
 * {@link LocalDateTime} at millisecond precision (the columns are {@code DATETIME(3)}; MySQL would round finer
 * values, MariaDB truncate them); {@link #instant} reads them back. Failures surface as
 * {@link DataAccessException} wrapping the driver's exception ({@link SqlErrors} classifies it).
 */
public final class Jdbc {
    /** Maps the current row; must not move the cursor. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Work on one connection; what it returns is what {@link #inTransaction} returns after the commit. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Handle handle);
    }

    private final DataSource dataSource;
    private final int queryTimeoutSeconds;

    /** {@code queryTimeout} zero means statements run without a limit (operations such as migrations). */
    public Jdbc(DataSource dataSource, Duration queryTimeout) {
        this.dataSource = dataSource;
        this.queryTimeoutSeconds = queryTimeout.isZero() ? 0 : DatabaseSettings.seconds(queryTimeout);
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(h -> h.query(sql, mapper, params));
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(h -> h.queryOne(sql, mapper, params));
    }

    /** Rows changed. */
    public int update(String sql, Object... params) {
        return withConnection(h -> h.update(sql, params));
    }

    /** The generated key of the inserted row. */
    public long insert(String sql, Object... params) {
        return withConnection(h -> h.insert(sql, params));
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws (the exception
     * then propagates unchanged, so an API error thrown inside keeps its code; except when the connection was lost
     * meanwhile: then it is a {@link DataAccessException} that {@link SqlErrors#isUnavailable} recognises, with
     * the work's exception as its cause's cause).
     */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Handle h = new Handle(c, true);
                T result = work.run(h);
                c.commit();
                h.committed();
                return result;
            } catch (RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                if (e instanceof RuntimeException && !SqlErrors.isUnavailable(e) && lost(c)) {
                    // a library between the work and the driver (db-scheduler) may have replaced the driver's
                    // connection error with its own failure on the pool's closed connection: the link decides
                    throw new DataAccessException(
                            "transaction failed: the database connection was lost",
                            new SQLNonTransientConnectionException("connection lost in the transaction", "08003", e));
                }
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        } catch (SQLException e) {
            throw new DataAccessException("transaction failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** The connection broke (the pool closed it, or it no longer answers a ping). */
    private static boolean lost(Connection c) {
        try {
            return c.isClosed() || !c.isValid(1);
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * The pool resets auto-commit too; restoring it keeps a plain DataSource sane. A failure here (a connection
     * that just broke) must not hide the exception or result of the work: the pool discards such connections.
     */
    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // see above
        }
    }

    /** Runs {@code work} on one pooled connection in auto-commit mode (each statement commits on its own). */
    public <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(new Handle(c, false));
        } catch (SQLException e) {
            throw new DataAccessException("cannot get a database connection (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** An instant bound as the UTC {@code DATETIME(3)} the columns hold. */
    public static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    /** A UTC {@code DATETIME} column as an instant; null for SQL NULL. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        LocalDateTime v = row.getObject(column, LocalDateTime.class);
        return v == null ? null : v.toInstant(ZoneOffset.UTC);
    }

    /** The statements of one connection: inside {@link #inTransaction} they all belong to the transaction. */
    public final class Handle {
        private final Connection connection;
        private final boolean transaction;
        private List<Runnable> afterCommit;

        private Handle(Connection connection, boolean transaction) {
            this.connection = connection;
            this.transaction = transaction;
        }

        /**
         * Runs {@code action} once this handle's transaction has committed (never when it rolls back); at once in
         * auto-commit mode, where the statements before it have committed already. For signals that others must
         * only act on once the change is visible (evicting a cached row).
         */
        public void afterCommit(Runnable action) {
            if (!transaction) {
                action.run();
                return;
            }
            if (afterCommit == null) {
                afterCommit = new ArrayList<>(2);
            }
            afterCommit.add(action);
        }

        private void committed() {
            if (afterCommit != null) {
                afterCommit.forEach(Runnable::run);
            }
        }

        /**
         * The connection itself, for a library that must write in the same transaction (the task engine schedules
         * its db-scheduler execution with the task's insert). The caller must not close it or end the transaction.
         */
        public Connection connection() {
            return connection;
        }

        public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
            try (PreparedStatement ps = prepare(sql, Statement.NO_GENERATED_KEYS, params);
                    ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            } catch (SQLException e) {
                throw failed(sql, e);
            }
        }

        /** The first row, if any. */
        public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
            try (PreparedStatement ps = prepare(sql, Statement.NO_GENERATED_KEYS, params);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
            } catch (SQLException e) {
                throw failed(sql, e);
            }
        }

        public int update(String sql, Object... params) {
            try (PreparedStatement ps = prepare(sql, Statement.NO_GENERATED_KEYS, params)) {
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw failed(sql, e);
            }
        }

        public long insert(String sql, Object... params) {
            try (PreparedStatement ps = prepare(sql, Statement.RETURN_GENERATED_KEYS, params)) {
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new IllegalStateException("no generated key for: " + sql);
                    }
                    return keys.getLong(1);
                }
            } catch (SQLException e) {
                throw failed(sql, e);
            }
        }

        private PreparedStatement prepare(String sql, int generatedKeys, Object... params) throws SQLException {
            PreparedStatement ps = connection.prepareStatement(sql, generatedKeys);
            try {
                ps.setQueryTimeout(queryTimeoutSeconds);
                for (int i = 0; i < params.length; i++) {
                    Object p = params[i] instanceof Instant instant ? utc(instant) : params[i];
                    ps.setObject(i + 1, p);
                }
                return ps;
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
        }

        private static DataAccessException failed(String sql, SQLException e) {
            // the statement and error numbers, never values (the driver's message may quote secrets or phones)
            return new DataAccessException(
                    "statement failed (SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + "): " + sql, e);
        }
    }
}
