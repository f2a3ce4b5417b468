package com.aiphoto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestDatabasesTest {
    @ParameterizedTest
    @EnumSource(TestDatabases.Driver.class)
    void aScratchDatabaseIsReachableThroughEitherDriverAndGoneAfterClose(TestDatabases.Driver driver)
            throws SQLException {
        TestDatabases.Scratch db = TestDatabases.create("fixture");
        try {
            assertTrue(db.name().matches("aiphoto_t_fixture_[0-9a-f]{8}"), db.name());
            assertTrue(
                    db.jdbcUrl(driver)
                            .startsWith(driver == TestDatabases.Driver.MARIADB ? "jdbc:mariadb:" : "jdbc:mysql:"),
                    db.jdbcUrl(driver));
            assertEquals(db.name(), scalar(db.dataSource(driver), "SELECT DATABASE()"));
            assertEquals(db.name(), db.settings().get("DB_NAME"));
        } finally {
            db.close();
        }
        assertFalse(exists(db.name()), "dropped on close");
    }

    @Test
    void labelsAreMadeSafeForAnIdentifier() {
        try (TestDatabases.Scratch db = TestDatabases.create("a-b`c")) {
            assertTrue(db.name().startsWith("aiphoto_t_a_b_c_"), db.name());
            assertTrue(exists(db.name()));
        }
    }

    @Test
    void anH2ScratchDatabaseRunsInMySqlModeAndIsGoneAfterClose() throws SQLException {
        TestDatabases.H2Scratch db = TestDatabases.h2("h2");
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE T (ID BIGINT AUTO_INCREMENT PRIMARY KEY, NAME VARCHAR(10))");
            st.execute("INSERT INTO t (name) VALUES ('x')");
        }
        assertEquals(
                "t",
                scalar(
                        db.dataSource(),
                        "SELECT table_name FROM information_schema.tables" + " WHERE table_schema = 'public'"),
                "DATABASE_TO_LOWER, as core's embedded default");
        db.close();
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement()) {
            assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM t"), "a new, empty database");
        }
    }

    private static boolean exists(String name) {
        try {
            return name.equals(scalar(
                    TestDatabases.driver().dataSource(""),
                    "SELECT schema_name FROM information_schema.schemata WHERE schema_name = '" + name + "'"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String scalar(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void aRegisteredSecretInAnAuditRowFailsTheCloseWhichStillDrops() throws SQLException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                System.getProperty(TestSecrets.PROPERTY) != null, "outside the build: no registry");
        String value = "planted-audit-secret-" + java.util.UUID.randomUUID();
        TestSecrets.register("planted audit secret", value);
        TestDatabases.Scratch db = TestDatabases.create("auditscan");
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE audit_logs (id INT PRIMARY KEY, action VARCHAR(50), details TEXT)");
            st.execute("INSERT INTO audit_logs VALUES (1, 'user.role.set', '{\"reason\":\"x\"}'),"
                    + " (2, 'provider.credentials.set', '{\"credentials\":\"" + value + "\"}')");
        }
        AssertionError e = assertThrows(AssertionError.class, db::close);
        assertEquals("secrets in audit_logs of " + db.name() + ": [planted audit secret]", e.getMessage());
        assertFalse(e.getMessage().contains(value));
        try (Connection c = java.sql.DriverManager.getConnection(
                        TestDatabases.serverUrl(), TestDatabases.user(), TestDatabases.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW DATABASES LIKE '" + db.name() + "'")) {
            assertFalse(rs.next(), "dropped all the same");
        }
    }
}
