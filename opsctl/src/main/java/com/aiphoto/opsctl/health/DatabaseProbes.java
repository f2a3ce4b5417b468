package com.aiphoto.opsctl.health;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.core.db.MigrationStatus;
import com.aiphoto.opsctl.check.Perf;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import com.aiphoto.opsctl.health.Observation.State;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The database as opsctl reaches it: how long a connection takes, whether migrations are pending, and the
 * scheduler's backlog (the oldest execution of db-scheduler's {@code scheduled_tasks} that is due and not picked
 * up; skipped while that table does not exist). The embedded H2 database is held by the server process, so
 * these are skipped for it (readiness reports it).
 */
final class DatabaseProbes {
    static final String CONNECT = "database:connectTime";
    static final String MIGRATIONS = "database:pendingMigrations";
    static final String BACKLOG = "scheduler:backlog";
    // a cold JVM loads the driver first; DB_CONNECT_TIMEOUT defaults to 3 s
    private static final long CONNECT_WARN_MS = 1000;
    private static final long CONNECT_CRIT_MS = 3000;
    private static final long BACKLOG_WARN_S = 60;
    private static final long BACKLOG_CRIT_S = 600;
    private static final String EMBEDDED = "embedded H2 database: the server holds it (see readiness)";
    private static final String NONE_IN_PRODUCTION =
            "no database configured: APP_ENV=production and DB_HOST is not set (the server refuses to start)";

    private DatabaseProbes() {}

    /** Connect time, then the scheduler backlog over the same connection. */
    static Probe connect(Settings settings) {
        return new Probe("database", List.of(CONNECT, BACKLOG), () -> {
            DatabaseSettings db = DatabaseSettings.from(settings);
            if (db.embedded()) {
                return settings.isProduction()
                        ? List.of(
                                Observation.failed(CONNECT, NONE_IN_PRODUCTION),
                                Observation.skipped(BACKLOG, "not checked: " + NONE_IN_PRODUCTION))
                        : List.of(Observation.skipped(CONNECT, EMBEDDED), Observation.skipped(BACKLOG, EMBEDDED));
            }
            long t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                boolean valid = c.isValid(2);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                Perf perf = Perf.upTo(ms, "ms", CONNECT_WARN_MS, CONNECT_CRIT_MS);
                if (!valid) {
                    return List.of(
                            Observation.of(CONNECT, State.FAIL, perf, "ms", db.describe() + ": connection not valid"),
                            Observation.skipped(BACKLOG, "not checked: the database connection is not valid"));
                }
                return List.of(
                        Observation.of(
                                CONNECT,
                                Observation.upTo(ms, CONNECT_WARN_MS, CONNECT_CRIT_MS),
                                perf,
                                "ms",
                                "connected to " + db.describe() + " in " + Format.millis(ms)),
                        backlog(c));
            } catch (SQLException e) {
                return List.of(
                        Observation.failed(
                                CONNECT, "cannot connect to " + db.describe() + ": " + OpsDatabase.rootCause(e)),
                        Observation.skipped(BACKLOG, "not checked: cannot connect to the database"));
            }
        });
    }

    private static Observation backlog(Connection c) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT COUNT(*) FROM information_schema.tables"
                + " WHERE table_schema = DATABASE() AND table_name = 'scheduled_tasks'")) {
            exists.setQueryTimeout(2);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return Observation.skipped(BACKLOG, "no scheduled_tasks table (no scheduler in this version)");
                }
            }
        }
        Instant now = Instant.now();
        try (PreparedStatement q = c.prepareStatement("SELECT MIN(execution_time), COUNT(*) FROM scheduled_tasks"
                + " WHERE picked = FALSE AND execution_time < ?")) {
            q.setQueryTimeout(2);
            q.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                Timestamp oldest = rs.getTimestamp(1);
                long overdue = rs.getLong(2);
                long seconds = oldest == null
                        ? 0
                        : Math.max(0, Duration.between(oldest.toInstant(), now).toSeconds());
                return Observation.of(
                        BACKLOG,
                        Observation.upTo(seconds, BACKLOG_WARN_S, BACKLOG_CRIT_S),
                        Perf.upTo(seconds, "s", BACKLOG_WARN_S, BACKLOG_CRIT_S),
                        "s",
                        oldest == null
                                ? "no overdue executions"
                                : Format.plural(overdue, "overdue execution") + ", the oldest due "
                                        + Format.age(Duration.ofSeconds(seconds)) + " ago");
            }
        }
    }

    /** Pending (and failed or mismatched) migrations, as {@code db status} counts them. */
    static Probe migrations(Settings settings, Supplier<OpsDatabase> open) {
        return new Probe("migrations", List.of(MIGRATIONS), () -> {
            if (DatabaseSettings.from(settings).embedded()) {
                return List.of(Observation.skipped(
                        MIGRATIONS, settings.isProduction() ? "not checked: " + NONE_IN_PRODUCTION : EMBEDDED));
            }
            MigrationStatus status;
            try (OpsDatabase db = open.get()) {
                status = db.migrations(settings, null).status();
            } catch (OpsctlException e) {
                return List.of(Observation.skipped(MIGRATIONS, "not checked: " + e.getMessage()));
            }
            long pending = status.count(MigrationStatus.PENDING);
            int bad = status.bad().size();
            State state = bad > 0 ? State.FAIL : pending > 0 ? State.WARN : State.PASS;
            String text = bad > 0
                    ? bad + " failed or mismatched: " + status.bad().getFirst().problem() + " (opsctl db status)"
                    : pending > 0
                            ? pending + " pending at version " + status.currentVersion() + ": run opsctl db migrate"
                            : "up to date at version " + status.currentVersion();
            return List.of(Observation.of(MIGRATIONS, state, Perf.upTo(pending, "", 0, null), "migrations", text));
        });
    }
}
