package com.aiphoto.testing;

import com.mysql.cj.jdbc.MysqlDataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * Scratch databases named {@code aiphoto_t_<label>_<random>}: on the real MariaDB/MySQL the suite runs against
 * ({@code TEST_DB_HOST}, {@code TEST_DB_PORT}, {@code TEST_DB_USER}, {@code TEST_DB_PASSWORD}; default
 * 127.0.0.1:3306 root with an empty password), or in-memory H2 in MySQL mode. Each test makes its own and drops
 * it on close, so the suite can run twice in a row and in parallel with other checkouts' suites.
 * <p>
 * URLs and data sources come for either JDBC driver ({@link Driver}); the one used when none is named is
 * {@code TEST_DB_DRIVER} ({@code mysql} or {@code mariadb}; default mariadb: the suite runs on MariaDB through
 * MariaDB's own driver, and names mysql-connector-j only in the classes that check the production driver).
 */
public final class TestDatabases {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The flags core's embedded H2 URL uses, so H2 scratch databases behave like the embedded default. */
    private static final String H2_FLAGS = ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    /** The JDBC drivers the suite can reach the server through. */
    public enum Driver {
        /** mysql-connector-j (production's default, for MySQL 8). */
        MYSQL("jdbc:mysql://", "?useSSL=false&allowPublicKeyRetrieval=true"),
        /** MariaDB's own driver (keeps fractional seconds with MariaDB). */
        MARIADB("jdbc:mariadb://", "");

        private final String scheme;
        private final String params;

        Driver(String scheme, String params) {
            this.scheme = scheme;
            this.params = params;
        }

        /** A URL for {@code database} on the test server ({@code ""}: the server itself). */
        public String url(String database) {
            return scheme + host() + ":" + port() + "/" + database + params;
        }

        /** The driver's own DataSource for {@code database}, logged in as the test user. */
        public DataSource dataSource(String database) {
            try {
                if (this == MARIADB) {
                    MariaDbDataSource ds = new MariaDbDataSource(url(database));
                    ds.setUser(user());
                    ds.setPassword(password());
                    return ds;
                }
            } catch (SQLException e) {
                throw new IllegalArgumentException(e);
            }
            MysqlDataSource ds = new MysqlDataSource();
            ds.setUrl(url(database));
            ds.setUser(user());
            ds.setPassword(password());
            return ds;
        }
    }

    private TestDatabases() {}

    public static String host() {
        return env("TEST_DB_HOST", "127.0.0.1");
    }

    public static String port() {
        return env("TEST_DB_PORT", "3306");
    }

    public static String user() {
        return env("TEST_DB_USER", "root");
    }

    public static String password() {
        return env("TEST_DB_PASSWORD", "");
    }

    /** The driver used where a test names none: {@code TEST_DB_DRIVER}, default mariadb. */
    public static Driver driver() {
        String v = env("TEST_DB_DRIVER", "mariadb");
        try {
            return Driver.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TEST_DB_DRIVER must be mysql or mariadb, not " + v, e);
        }
    }

    /** A new empty database on the test server; its settings (as env-style keys) come from {@link Scratch#settings()}. */
    public static Scratch create(String label) {
        String name = scratchName(label);
        exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return new Scratch(name);
    }

    /** A new in-memory H2 database in MySQL mode; it lives until closed. */
    public static H2Scratch h2(String label) {
        H2Scratch db = new H2Scratch(scratchName(label));
        // DB_CLOSE_DELAY=-1 keeps the database between connections: this one holds nothing open, it creates it
        try (Connection c = db.dataSource().getConnection()) {
            return db;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one statement on the test server as the test user (outside any database). */
    public static void exec(String sql) {
        try (Connection c = DriverManager.getConnection(serverUrl(), user(), password());
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "test database at " + host() + ":" + port() + " unavailable (start MariaDB, see README): "
                            + e.getMessage(),
                    e);
        }
    }

    /** The test server's URL with no database, for {@link #driver()}. */
    public static String serverUrl() {
        return driver().url("");
    }

    private static String scratchName(String label) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return "aiphoto_t_" + label.replaceAll("[^a-z0-9_]", "_") + "_"
                + HexFormat.of().formatHex(b);
    }

    private static String env(String key, String dflt) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? dflt : v;
    }

    /** A scratch database on the test server, dropped on close. (A class, not a record: core's test-jar extends it.) */
    public static class Scratch implements AutoCloseable {
        private final String name;

        protected Scratch(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }

        /** DB_* settings pointing at this database through {@link TestDatabases#driver()}. */
        public Map<String, String> settings() {
            return settings(driver().name().toLowerCase(Locale.ROOT));
        }

        /** DB_* settings pointing at this database through {@code driver} ({@code mysql} or {@code mariadb}). */
        public Map<String, String> settings(String driver) {
            return Map.of(
                    "DB_DRIVER",
                    driver,
                    "DB_HOST",
                    host(),
                    "DB_PORT",
                    port(),
                    "DB_USER",
                    user(),
                    "DB_PASSWORD",
                    password(),
                    "DB_NAME",
                    name,
                    "DB_PARAMS",
                    "mysql".equals(driver) ? "useSSL=false" : "",
                    "DB_POOL_MIN",
                    "1",
                    "DB_POOL_MAX",
                    "8");
        }

        /** This database's URL for {@link TestDatabases#driver()}. */
        public String jdbcUrl() {
            return jdbcUrl(driver());
        }

        public String jdbcUrl(Driver driver) {
            return driver.url(name);
        }

        /** An unpooled DataSource for {@link TestDatabases#driver()}. */
        public DataSource dataSource() {
            return dataSource(driver());
        }

        public DataSource dataSource(Driver driver) {
            return driver.dataSource(name);
        }

        /**
         * Drops the database; first reads its {@code audit_logs} (when it has them): a registered secret in an
         * audit row fails the test that closes it ("no credential plaintext in any audit row", suite-wide).
         */
        @Override
        public void close() {
            List<String> leaked;
            try (Connection c = dataSource().getConnection()) {
                leaked = SecretLogScan.inAuditRows(c);
            } catch (SQLException gone) {
                leaked = List.of(); // the test dropped it already: no rows to read
            } finally {
                exec("DROP DATABASE IF EXISTS `" + name + "`");
            }
            if (!leaked.isEmpty()) {
                throw new AssertionError("secrets in audit_logs of " + name + ": " + leaked);
            }
        }
    }

    /** A scratch in-memory H2 database (MySQL mode, the flags of core's embedded default), gone on close. */
    public record H2Scratch(String name) implements AutoCloseable {
        public String jdbcUrl() {
            return "jdbc:h2:mem:" + name + H2_FLAGS + ";DB_CLOSE_DELAY=-1";
        }

        public DataSource dataSource() {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(jdbcUrl());
            return ds;
        }

        @Override
        public void close() {
            try (Connection c = dataSource().getConnection();
                    Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
