package com.aiphoto.core.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;

/**
 * Scratch databases on the real MariaDB/MySQL the suite runs against ({@code TEST_DB_HOST}, {@code TEST_DB_PORT},
 * {@code TEST_DB_USER}, {@code TEST_DB_PASSWORD}; default 127.0.0.1:3306 root with an empty password). Each test
 * class makes its own and drops it on close, so the suite can run twice in a row and in parallel. The suite runs
 * on MariaDB through MariaDB's own driver ({@code DB_DRIVER=mariadb}); {@link Scratch#settings(String)} picks
 * mysql-connector-j for the classes that check the production driver.
 */
public final class TestDatabases {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestDatabases() {
    }

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

    /** A new empty database; its settings (as env-style keys) come from {@link Scratch#settings()}. */
    public static Scratch create(String label) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        String name = "aiphoto_t_" + label.replaceAll("[^a-z0-9_]", "_") + "_" + HexFormat.of().formatHex(b);
        exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return new Scratch(name);
    }

    public static void exec(String sql) {
        try (Connection c = DriverManager.getConnection(serverUrl(), user(), password());
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database at " + host() + ":" + port()
                    + " unavailable (start MariaDB, see README): " + e.getMessage(), e);
        }
    }

    public static String serverUrl() {
        return "jdbc:mariadb://" + host() + ":" + port() + "/";
    }

    private static String env(String key, String dflt) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? dflt : v;
    }

    /** A scratch database, dropped on close. */
    public record Scratch(String name) implements AutoCloseable {
        /** DB_* settings pointing at this database, through MariaDB's driver. */
        public Map<String, String> settings() {
            return settings("mariadb");
        }

        /** DB_* settings pointing at this database through {@code driver} ({@code mysql} or {@code mariadb}). */
        public Map<String, String> settings(String driver) {
            return Map.of("DB_DRIVER", driver, "DB_HOST", host(), "DB_PORT", port(), "DB_USER", user(),
                    "DB_PASSWORD", password(), "DB_NAME", name, "DB_PARAMS", "mysql".equals(driver) ? "useSSL=false"
                            : "", "DB_POOL_MIN", "1", "DB_POOL_MAX", "8");
        }

        public String jdbcUrl() {
            return "jdbc:mariadb://" + host() + ":" + port() + "/" + name;
        }

        @Override
        public void close() {
            exec("DROP DATABASE IF EXISTS `" + name + "`");
        }
    }
}
