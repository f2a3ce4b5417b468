package com.aiphoto.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.testing.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JDBC helper, the request pool's bounds and the driver check, on the real MariaDB through both drivers. */
class JdbcTest {
    private static TestDatabases.Scratch db;
    private static HikariDataSource ds;
    private static Jdbc jdbc;

    @BeforeAll
    static void create() {
        db = TestDatabases.create("jdbc");
        ds = DataSources.create(settings("mariadb", Map.of()), "jdbc-test", DataSources.Workload.REQUESTS);
        jdbc = new Jdbc(ds, Duration.ofSeconds(5));
        jdbc.update("CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL UNIQUE, "
                + "at DATETIME(3) NULL)");
    }

    @AfterAll
    static void drop() {
        ds.close();
        db.close();
    }

    private static DatabaseSettings settings(String driver, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(db.settings(driver));
        m.putAll(extra);
        return DatabaseSettings.from(Settings.of(m));
    }

    private static Optional<String> name(long id) {
        return jdbc.queryOne("SELECT name FROM t WHERE id = ?", r -> r.getString("name"), id);
    }

    @Test
    void aTransactionWhoseConnectionWasLostFailsAsUnavailableWhateverTheWorkThrew() {
        // db-scheduler, scheduling inside the transaction, may replace the driver's socket error with its own
        // failure on the pool's closed connection ("Connection is closed", no SQLState): that was a 500
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> jdbc.inTransaction(h -> {
                    long id = h.queryOne("SELECT CONNECTION_ID()", r -> r.getLong(1))
                            .orElseThrow();
                    TestDatabases.exec("KILL " + id);
                    try {
                        h.queryOne("SELECT 1", r -> 1);
                    } catch (DataAccessException lost) {
                        // a library that loses the cause
                    }
                    throw new IllegalStateException("Error when preparing statement.");
                }));
        assertTrue(SqlErrors.isUnavailable(e), "the lost connection decides: " + e);
        IllegalStateException bug = new IllegalStateException("a bug");
        assertSame(
                bug,
                assertThrows(
                        IllegalStateException.class,
                        () -> jdbc.inTransaction(h -> {
                            h.queryOne("SELECT 1", r -> 1);
                            throw bug;
                        })));
    }

    @Test
    void insertReturnsTheKeyAndQueriesMapRows() {
        long a = jdbc.insert("INSERT INTO t (name) VALUES (?)", "insert-a");
        long b = jdbc.insert("INSERT INTO t (name) VALUES (?)", "insert-b");
        assertEquals(a + 1, b);
        assertEquals(Optional.of("insert-a"), name(a));
        assertEquals(
                List.of("insert-a", "insert-b"),
                jdbc.query("SELECT name FROM t WHERE name LIKE ? ORDER BY id", r -> r.getString(1), "insert-%"));
        assertEquals(Optional.empty(), name(-1));
    }

    @Test
    void aTransactionCommitsAsAWhole() {
        long id = jdbc.inTransaction(tx -> {
            long k = tx.insert("INSERT INTO t (name) VALUES (?)", "tx-commit");
            assertEquals(1, tx.update("UPDATE t SET name = ? WHERE id = ?", "tx-committed", k));
            return k;
        });
        assertEquals(Optional.of("tx-committed"), name(id));
    }

    @Test
    void anExceptionRollsBackEverythingAndPropagatesUnchanged() {
        IllegalStateException boom = new IllegalStateException("boom");
        long[] id = new long[1];
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> jdbc.inTransaction(tx -> {
                    id[0] = tx.insert("INSERT INTO t (name) VALUES (?)", "tx-rollback");
                    throw boom;
                }));
        assertSame(boom, thrown);
        assertEquals(Optional.empty(), name(id[0]), "the insert was rolled back");
        // and a failed statement inside also rolls back what came before it
        DataAccessException dup = assertThrows(
                DataAccessException.class,
                () -> jdbc.inTransaction(tx -> {
                    tx.insert("INSERT INTO t (name) VALUES (?)", "tx-dup-first");
                    return tx.insert("INSERT INTO t (name) VALUES (?)", "tx-dup-first");
                }));
        assertTrue(SqlErrors.isDuplicateKey(dup));
        assertFalse(dup.getMessage().contains("tx-dup-first"), "values stay out of messages: " + dup.getMessage());
        assertEquals(List.of(), jdbc.query("SELECT id FROM t WHERE name = ?", r -> r.getLong(1), "tx-dup-first"));
    }

    @Test
    void millisecondsSurviveARoundTripThroughMariaDbsDriver() {
        Instant at = Instant.parse("2026-12-01T21:39:45.123Z");
        long id = jdbc.insert("INSERT INTO t (name, at) VALUES (?, ?)", "millis", at);
        assertEquals(
                at,
                jdbc.queryOne("SELECT at FROM t WHERE id = ?", r -> Jdbc.instant(r, "at"), id)
                        .orElseThrow());
        // the session is UTC: the server's clock agrees with Java's to the second, not by an offset of hours
        Instant now =
                jdbc.queryOne("SELECT NOW(3) AS n", r -> Jdbc.instant(r, "n")).orElseThrow();
        assertTrue(Duration.between(now, Instant.now()).abs().toMinutes() < 1, "NOW() in UTC: " + now);
    }

    @Test
    void aLockedTableFailsTheStatementWithinTheLockWaitTimeout() throws Exception {
        try (HikariDataSource quick = DataSources.create(
                        settings("mariadb", Map.of("DB_LOCK_WAIT_TIMEOUT", "1s")),
                        "jdbc-lock",
                        DataSources.Workload.REQUESTS);
                Connection locker =
                        DriverManager.getConnection(db.jdbcUrl(), TestDatabases.user(), TestDatabases.password());
                Statement st = locker.createStatement()) {
            st.execute("LOCK TABLES t WRITE");
            Jdbc bounded = new Jdbc(quick, Duration.ofSeconds(5));
            DataAccessException e = assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> assertThrows(DataAccessException.class, () -> bounded.query("SELECT id FROM t", r -> 1)));
            assertTrue(SqlErrors.isUnavailable(e), "a lock wait counts as unavailable: " + e);
            st.execute("UNLOCK TABLES");
            assertEquals(List.of(), bounded.query("SELECT id FROM t WHERE id < 0", r -> 1), "works once unlocked");
        }
    }

    @Test
    void theDriverCheckSeesMariaDbWhicheverDriverAsks() throws Exception {
        DatabaseServer own = DatabaseServer.inspect(ds, DatabaseSettings.Driver.MARIADB);
        assertTrue(own.mariadb(), own.toString());
        assertEquals(Optional.empty(), own.driverMismatch());
        try (HikariDataSource mysql = DataSources.create(settings("mysql", Map.of()), "jdbc-mysql")) {
            DatabaseServer viaMysql = DatabaseServer.inspect(mysql, DatabaseSettings.Driver.MYSQL);
            assertTrue(viaMysql.mariadb(), "not fooled by the 5.5.5 prefix: " + viaMysql);
            assertTrue(viaMysql.driverMismatch().orElseThrow().contains("DB_DRIVER=mariadb"));
        }
    }
}
