package com.aiphoto.core.db;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import com.aiphoto.core.config.Settings;

/**
 * Where the database is: MySQL/MariaDB when {@code DB_HOST} is set, else the embedded H2 file database under
 * {@code DATA_DIR} (development and tests only; {@link com.aiphoto.core.config.ConfigCheck} refuses it in production).
 */
public record DatabaseSettings(Optional<String> host, int port, String user, String password, String name,
                               int poolMin, int poolMax, Duration connectTimeout, Path dataDir, String extraParams) {

    public static DatabaseSettings from(Settings s) {
        return new DatabaseSettings(s.find("DB_HOST"), s.integer("DB_PORT"), s.find("DB_USER").orElse("root"),
                s.find("DB_PASSWORD").orElse(""), s.get("DB_NAME"), s.integer("DB_POOL_MIN"),
                s.integer("DB_POOL_MAX"), s.duration("DB_CONNECT_TIMEOUT"), Path.of(s.get("DATA_DIR")),
                s.find("DB_PARAMS").orElse(""));
    }

    public boolean embedded() {
        return host.isEmpty();
    }

    public String jdbcUrl() {
        if (embedded()) {
            Path file = dataDir.toAbsolutePath().normalize().resolve("db").resolve(name);
            return "jdbc:h2:file:" + file + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        }
        // times are always UTC on the wire; the session time zone is forced so NOW() agrees with Java
        String params = "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&characterEncoding=UTF-8"
                + "&allowPublicKeyRetrieval=true&connectTimeout=" + connectTimeout.toMillis()
                + "&tcpKeepAlive=true" + (extraParams.isBlank() ? "" : "&" + extraParams);
        return "jdbc:mysql://" + host.get() + ":" + port + "/" + name + "?" + params;
    }

    /** The same server without a default schema, for creating or dropping databases. */
    public String serverUrl() {
        return jdbcUrl().replace("/" + name + "?", "/?");
    }

    /** Like the record's, without the password (records print every component). */
    @Override
    public String toString() {
        return "DatabaseSettings[" + describe() + ", poolMin=" + poolMin + ", poolMax=" + poolMax
                + ", connectTimeout=" + connectTimeout + "]";
    }

    /** Secret-free description for logs and status output. */
    public String describe() {
        return embedded() ? "embedded H2 at " + dataDir.toAbsolutePath().normalize().resolve("db")
                : "mysql://" + user + "@" + host.get() + ":" + port + "/" + name;
    }
}
