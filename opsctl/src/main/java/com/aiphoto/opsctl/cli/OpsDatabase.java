package com.aiphoto.opsctl.cli;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.core.db.MigrationScripts;
import com.aiphoto.core.db.Migrations;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

/** The application database as opsctl uses it: a small pool, a fast one-line failure when it is unreachable. */
public final class OpsDatabase implements AutoCloseable {
    private final DatabaseSettings settings;
    private final HikariDataSource dataSource;

    private OpsDatabase(DatabaseSettings settings, HikariDataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
    }

    /** Opens the pool and checks that the database answers; exit 1 naming it (never the password) if not. */
    static OpsDatabase connect(Settings s) {
        // a lock connection, a history connection and a statement connection at most
        DatabaseSettings db = DatabaseSettings.from(s.with(Map.of("DB_POOL_MIN", "0", "DB_POOL_MAX", "4")));
        if (db.embedded() && s.isProduction()) {
            // the server refuses this too; silently using an empty H2 file here would "migrate" or back up nothing
            throw new OpsctlException(
                    ExitCode.PRECONDITION,
                    "no database configured: APP_ENV=production and DB_HOST"
                            + " is not set (env file: "
                            + s.envFile().map(Object::toString).orElse("none found")
                            + "); refusing the embedded H2 database; set DB_HOST or pass --env-file");
        }
        probe(db);
        OpsDatabase d = new OpsDatabase(db, DataSources.create(db, "opsctl"));
        try (Connection c = d.dataSource.getConnection()) {
            return d;
        } catch (SQLException e) {
            d.close();
            throw cannotConnect(db, e);
        }
    }

    /**
     * One plain connection attempt first: the pool retries a refused connection until its connection timeout,
     * so a server that is down took DB_CONNECT_TIMEOUT and more to report; one attempt fails at once when
     * refused, and within the driver's connect timeout (DB_CONNECT_TIMEOUT) when unreachable.
     */
    private static void probe(DatabaseSettings db) {
        if (db.embedded()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            c.isValid(1);
        } catch (SQLException e) {
            throw cannotConnect(db, e);
        }
    }

    private static OpsctlException cannotConnect(DatabaseSettings db, SQLException e) {
        return new OpsctlException(ExitCode.FAILED, "cannot connect to " + db.describe() + ": " + rootCause(e));
    }

    public DatabaseSettings settings() {
        return settings;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public String describe() {
        return settings.describe();
    }

    /** The engine over {@code --location DIR} when given, else the configured (by default bundled) migrations. */
    public Migrations migrations(Settings s, Path location) {
        MigrationScripts scripts;
        if (location != null) {
            if (!Files.isDirectory(location)) {
                throw new OpsctlException(ExitCode.USAGE, "--location " + location + " is not a directory");
            }
            scripts = MigrationScripts.directory(location);
        } else {
            scripts = MigrationScripts.at(s.get("MIGRATIONS_LOCATION"));
        }
        return new Migrations(dataSource, scripts, Clock.systemUTC());
    }

    /** The innermost message: "Connection refused" rather than the driver's paragraph about packets. */
    public static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
