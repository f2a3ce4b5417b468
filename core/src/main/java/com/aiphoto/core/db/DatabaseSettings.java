package com.aiphoto.core.db;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the database is and how long to wait for it: MySQL/MariaDB when {@code DB_HOST} is set, else the embedded
 * H2 file database under {@code DATA_DIR} (development and tests only; {@link com.aiphoto.core.config.ConfigCheck}
 * refuses it in production). {@code DB_DRIVER} picks the JDBC driver: {@code mysql} (mysql-connector-j, the
 * default, for MySQL 8) or {@code mariadb} (MariaDB Connector/J, for MariaDB servers: mysql-connector-j takes them
 * for "MySQL 5.5" and drops the fractional seconds of every time it sends).
 *
 * <p>The bounds ({@code DB_CONNECT_TIMEOUT}, {@code DB_QUERY_TIMEOUT}, {@code DB_LOCK_WAIT_TIMEOUT},
 * {@code DB_SOCKET_TIMEOUT}) keep a stalled or locked database from holding request threads: see
 * {@link DataSources.Workload#REQUESTS}.
 */
public record DatabaseSettings(
        Driver driver,
        Optional<String> host,
        int port,
        String user,
        String password,
        String name,
        int poolMin,
        int poolMax,
        Duration connectTimeout,
        Duration queryTimeout,
        Duration lockWaitTimeout,
        Duration socketTimeout,
        Path dataDir,
        String extraParams) {

    /** The JDBC drivers on the class path for a MySQL-protocol server. */
    public enum Driver {
        MYSQL("jdbc:mysql:"),
        MARIADB("jdbc:mariadb:");

        private final String urlPrefix;

        Driver(String urlPrefix) {
            this.urlPrefix = urlPrefix;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code mysql} or {@code mariadb}, any case. */
        public static Driver parse(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (Driver d : values()) {
                if (v.equals(d.id())) {
                    return d;
                }
            }
            throw new ConfigException("DB_DRIVER must be mysql or mariadb, got '" + value + "'");
        }
    }

    public static DatabaseSettings from(Settings s) {
        return new DatabaseSettings(
                Driver.parse(s.get("DB_DRIVER")),
                s.find("DB_HOST"),
                s.integer("DB_PORT"),
                s.find("DB_USER").orElse("root"),
                s.find("DB_PASSWORD").orElse(""),
                s.get("DB_NAME"),
                s.integer("DB_POOL_MIN"),
                s.integer("DB_POOL_MAX"),
                s.duration("DB_CONNECT_TIMEOUT"),
                s.duration("DB_QUERY_TIMEOUT"),
                s.duration("DB_LOCK_WAIT_TIMEOUT"),
                s.duration("DB_SOCKET_TIMEOUT"),
                Path.of(s.get("DATA_DIR")),
                s.find("DB_PARAMS").orElse(""));
    }

    public boolean embedded() {
        return host.isEmpty();
    }

    /** The connection URL; the socket timeout and session lock waits are added by {@link DataSources} per workload. */
    public String jdbcUrl() {
        if (embedded()) {
            Path file = dataDir.toAbsolutePath().normalize().resolve("db").resolve(name);
            return "jdbc:h2:file:" + file + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        }
        // times are always UTC on the wire; the session time zone is forced so NOW() agrees with Java
        // (both drivers know these two options, MariaDB's since 3.4)
        String params = "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
                + (driver == Driver.MYSQL ? "&characterEncoding=UTF-8" : "")
                + "&allowPublicKeyRetrieval=true&connectTimeout=" + connectTimeout.toMillis()
                + "&tcpKeepAlive=true&" + roundTripParams() + (extraParams.isBlank() ? "" : "&" + extraParams);
        return driver.urlPrefix + "//" + host.get() + ":" + port + "/" + name + "?" + params;
    }

    /**
     * What keeps a request to the one statement it runs. Without these the drivers ask or tell the server about
     * session state the pool already knows (a {@code SET autocommit} per borrowed connection, isolation reads),
     * re-read server variables per connection and re-parse each statement. Nothing here issues {@code SET} for
     * session state in SQL text (that would desynchronise the local copy), so tracking it locally is safe.
     * Client-side prepared statements: measured against server-side ones with deploy/bench (one round trip
     * either way once cached; client-side was as fast and needs no server statement cache per connection).
     */
    String roundTripParams() {
        return switch (driver) {
            case MYSQL ->
                "useLocalSessionState=true&elideSetAutoCommits=true&alwaysSendSetIsolation=false"
                        + "&cacheServerConfiguration=true&cachePrepStmts=true&prepStmtCacheSize=250"
                        + "&prepStmtCacheSqlLimit=2048&cacheResultSetMetadata=true&maintainTimeStats=false";
            case MARIADB -> "useLocalSessionState=true&cachePrepStmts=true&prepStmtCacheSize=250";
        };
    }

    /** The same server without a default schema, for creating or dropping databases. */
    public String serverUrl() {
        return jdbcUrl().replace("/" + name + "?", "/?");
    }

    /** {@code DB_QUERY_TIMEOUT} in whole seconds, as {@link java.sql.Statement#setQueryTimeout(int)} takes it. */
    public int queryTimeoutSeconds() {
        return seconds(queryTimeout);
    }

    /** Whole seconds, at least 1, for server variables and {@link java.sql.Statement#setQueryTimeout(int)}. */
    static int seconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (d.toMillis() + 999) / 1000));
    }

    /** Like the record's, without the password (records print every component). */
    @Override
    public String toString() {
        return "DatabaseSettings[" + describe() + ", poolMin=" + poolMin + ", poolMax=" + poolMax
                + ", connectTimeout=" + connectTimeout + ", queryTimeout=" + queryTimeout + ", lockWaitTimeout="
                + lockWaitTimeout + ", socketTimeout=" + socketTimeout + "]";
    }

    /** Secret-free description for logs and status output (the protocol, whichever driver speaks it). */
    public String describe() {
        return embedded()
                ? "embedded H2 at " + dataDir.toAbsolutePath().normalize().resolve("db")
                : "mysql://" + user + "@" + host.get() + ":" + port + "/" + name;
    }
}
