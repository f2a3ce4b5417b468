package com.aiphoto.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * Our record of migrations, beside Flyway's {@code flyway_schema_history}. Flyway's table only ever lists
 * migrations that are completely applied (we write its rows ourselves when a migration finishes and delete
 * them when one is rolled back, so Flyway's info and validate agree with the schema). Ours adds what Flyway
 * community cannot express:
 * <ul>
 * <li>{@code ops_migration_batches}: each migrate or rollback, by whom, with which backup, and how it ended;</li>
 * <li>{@code ops_migration_runs}: each migration run in a batch, up or down, with per-statement progress, so a
 * failure or a killed process leaves "statement k of n" behind.</li>
 * </ul>
 * Plain SQL that runs on MySQL, MariaDB and H2 in MySQL mode; times come from Java.
 */
final class MigrationHistory {
    static final String BATCHES = "ops_migration_batches";
    static final String RUNS = "ops_migration_runs";

    private static final List<String> DDL = List.of(
            "CREATE TABLE IF NOT EXISTS " + BATCHES + " ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " command VARCHAR(16) NOT NULL,"
                    + " state VARCHAR(16) NOT NULL,"
                    + " actor VARCHAR(255) NOT NULL,"
                    + " backup VARCHAR(255) NULL,"
                    + " started_at DATETIME(3) NOT NULL,"
                    + " finished_at DATETIME(3) NULL)",
            "CREATE TABLE IF NOT EXISTS " + RUNS + " ("
                    + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    + " batch_id BIGINT NOT NULL,"
                    + " version VARCHAR(50) NOT NULL,"
                    + " description VARCHAR(200) NOT NULL,"
                    + " script VARCHAR(1000) NOT NULL,"
                    + " direction VARCHAR(4) NOT NULL,"
                    + " state VARCHAR(16) NOT NULL,"
                    + " statements_total INT NOT NULL,"
                    + " statements_done INT NOT NULL,"
                    + " done_digest VARCHAR(64) NOT NULL,"
                    + " at_statement INT NULL,"
                    + " at_line INT NULL,"
                    + " at_sql VARCHAR(500) NULL,"
                    + " error VARCHAR(1000) NULL,"
                    + " started_at DATETIME(3) NOT NULL,"
                    + " finished_at DATETIME(3) NULL,"
                    + " duration_ms BIGINT NULL)",
            "CREATE TABLE IF NOT EXISTS " + MigrationLock.TABLE + " ("
                    + " lock_name VARCHAR(64) NOT NULL PRIMARY KEY,"
                    + " connection_id BIGINT NOT NULL,"
                    + " holder VARCHAR(255) NOT NULL,"
                    + " acquired_at DATETIME(3) NOT NULL)");

    static final String RUNNING = "running";
    static final String DONE = "done";
    static final String FAILED = "failed";
    /** The error of a run whose process died or was stopped mid-statement. */
    static final String INTERRUPTED = "interrupted";

    record Batch(long id, String command, String state, String actor, String backup, Instant startedAt) {}

    record Run(
            long id,
            long batchId,
            String version,
            String description,
            String script,
            String direction,
            String state,
            int total,
            int done,
            String doneDigest,
            Integer atStatement,
            Integer atLine,
            String atSql,
            String error,
            Instant startedAt,
            Long durationMs) {
        boolean up() {
            return "up".equals(direction);
        }
    }

    private final Flyway flyway;
    private final Clock clock;

    MigrationHistory(Flyway flyway, Clock clock) {
        this.flyway = flyway;
        this.clock = clock;
    }

    /** Creates Flyway's table (through Flyway, so it is exactly Flyway's) and ours when missing. */
    void ensureTables(Connection c) throws SQLException {
        if (!tableExists(c, flywayTable())) {
            refuseForeignSchema(c);
            Flyway.configure(flyway.getConfiguration().getClassLoader())
                    .configuration(flyway.getConfiguration())
                    .skipDefaultResolvers(true) // nothing to migrate: it only creates the schema history table
                    .validateOnMigrate(false)
                    .load()
                    .migrate();
        }
        try (Statement st = c.createStatement()) {
            for (String ddl : DDL) {
                st.execute(ddl);
            }
        }
    }

    /**
     * Tables but no history: another application's database, or ours set up by another tool. Flyway would refuse
     * with its own exception (non-empty schema, no baseline); say what it means for an operator instead.
     */
    private void refuseForeignSchema(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", null)) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                String type = rs.getString("TABLE_TYPE");
                if (type != null
                        && type.contains("TABLE")
                        && !type.contains("SYSTEM")
                        && !name.startsWith("ops_migration_")) {
                    tables.add(name);
                }
            }
        }
        if (!tables.isEmpty()) {
            String catalog = c.getCatalog() == null ? "the database" : "database " + c.getCatalog();
            throw new MigrationRefusedException(catalog + " already has " + tables.size() + " table(s) ("
                    + String.join(", ", tables.stream().sorted().limit(5).toList())
                    + (tables.size() > 5 ? ", ..." : "") + ") but no " + flywayTable() + ": it is not an ai-photo"
                    + " database, or was set up without opsctl; nothing was changed; point DB_NAME at an empty or"
                    + " ai-photo database");
        }
    }

    long startBatch(Connection c, String command, String actor, String backup) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + BATCHES + " (command, state, actor, backup, started_at) VALUES (?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, command);
            ps.setString(2, RUNNING);
            ps.setString(3, Strings.cut(actor, 255));
            ps.setString(4, backup);
            ps.setTimestamp(5, now());
            ps.executeUpdate();
            return generatedKey(ps);
        }
    }

    void finishBatch(Connection c, long id, String state) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE " + BATCHES + " SET state = ?, finished_at = ? WHERE id = ?")) {
            ps.setString(1, state);
            ps.setTimestamp(2, now());
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    long startRun(Connection c, long batch, MigrationStep step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + RUNS + " (batch_id, version, description,"
                        + " script, direction, state, statements_total, statements_done, done_digest, started_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, batch);
            ps.setString(2, step.version());
            ps.setString(3, Strings.cut(step.description(), 200));
            ps.setString(4, Strings.cut(step.script(), 1000));
            ps.setString(5, step.direction().column());
            ps.setString(6, RUNNING);
            ps.setInt(7, step.sql().size());
            ps.setInt(8, step.startAt());
            ps.setString(9, step.sql().digest(step.startAt()));
            ps.setTimestamp(10, now());
            ps.executeUpdate();
            return generatedKey(ps);
        }
    }

    /** Before running statement {@code next}: everything before it is done; where it runs, should it stop. */
    void progress(Connection c, long run, MigrationStep step, SqlScript.Statement next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + RUNS + " SET statements_done = ?,"
                + " done_digest = ?, at_statement = ?, at_line = ?, at_sql = ? WHERE id = ?")) {
            ps.setInt(1, next.number() - 1);
            ps.setString(2, step.sql().digest(next.number() - 1));
            ps.setInt(3, next.number());
            ps.setInt(4, next.line());
            ps.setString(5, next.excerpt(500));
            ps.setLong(6, run);
            ps.executeUpdate();
        }
    }

    /**
     * After statement {@code done} ran, on the connection that ran it and in its transaction: the statement and
     * this record commit together. The record then points at {@code next} (null after the last), so a process
     * killed before it starts is reported as stopping there, not at the statement that completed.
     */
    void statementDone(Connection c, long run, MigrationStep step, SqlScript.Statement done, SqlScript.Statement next)
            throws SQLException {
        if (next != null) {
            progress(c, run, step, next);
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE " + RUNS + " SET statements_done = ?," + " done_digest = ? WHERE id = ?")) {
            ps.setInt(1, done.number());
            ps.setString(2, step.sql().digest(done.number()));
            ps.setLong(3, run);
            ps.executeUpdate();
        }
    }

    void failRun(Connection c, long run, MigrationStep step, SqlScript.Statement failed, String error, long durationMs)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + RUNS + " SET state = ?, statements_done = ?,"
                + " done_digest = ?, at_statement = ?, at_line = ?, at_sql = ?, error = ?,"
                + " finished_at = ?, duration_ms = ? WHERE id = ?")) {
            ps.setString(1, FAILED);
            ps.setInt(2, failed.number() - 1);
            ps.setString(3, step.sql().digest(failed.number() - 1));
            ps.setInt(4, failed.number());
            ps.setInt(5, failed.line());
            ps.setString(6, failed.excerpt(500));
            ps.setString(7, Strings.cut(Strings.oneLine(error), 1000));
            ps.setTimestamp(8, now());
            ps.setLong(9, durationMs);
            ps.setLong(10, run);
            ps.executeUpdate();
        }
    }

    /**
     * Marks a run done and makes Flyway's table agree, in one transaction: an up run adds the migration's row,
     * a down run removes it. A crash can therefore never leave one saying applied and the other not.
     */
    void completeRun(Connection c, long run, MigrationStep step, String installedBy, long durationMs)
            throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            String table = flywayTable();
            if (step.direction() == MigrationStep.Direction.UP) {
                insertFlywayRow(c, table, step, installedBy, durationMs);
            } else {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE version = ?")) {
                    ps.setString(1, step.version());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RUNS + " SET state = ?, statements_done = ?,"
                    + " done_digest = ?, finished_at = ?, duration_ms = ? WHERE id = ?")) {
                ps.setString(1, DONE);
                ps.setInt(2, step.sql().size());
                ps.setString(3, step.sql().digest(step.sql().size()));
                ps.setTimestamp(4, now());
                ps.setLong(5, durationMs);
                ps.setLong(6, run);
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** After db repair: Flyway's row of {@code version} takes the file's checksum. */
    void realignChecksum(Connection c, String version, Integer checksum) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + flywayTable() + " SET checksum = ?" + " WHERE version = ? AND success = ?")) {
            if (checksum == null) {
                ps.setNull(1, Types.INTEGER);
            } else {
                ps.setInt(1, checksum);
            }
            ps.setString(2, version);
            ps.setBoolean(3, true);
            ps.executeUpdate();
        }
    }

    private void insertFlywayRow(Connection c, String table, MigrationStep step, String installedBy, long durationMs)
            throws SQLException {
        int rank;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(installed_rank), 0) FROM " + table)) {
            rs.next();
            rank = rs.getInt(1) + 1;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (installed_rank, version,"
                + " description, type, script, checksum, installed_by, installed_on, execution_time, success)"
                + " VALUES (?, ?, ?, 'SQL', ?, ?, ?, ?, ?, ?)")) {
            ps.setInt(1, rank);
            ps.setString(2, step.version());
            ps.setString(3, Strings.cut(step.description(), 200));
            ps.setString(4, Strings.cut(step.script(), 1000));
            if (step.checksum() == null) {
                ps.setNull(5, Types.INTEGER);
            } else {
                ps.setInt(5, step.checksum());
            }
            ps.setString(6, Strings.cut(installedBy, 100));
            ps.setTimestamp(7, now());
            ps.setInt(8, (int) Math.min(Integer.MAX_VALUE, durationMs));
            ps.setBoolean(9, true);
            ps.executeUpdate();
        }
    }

    /**
     * Marks runs and batches left "running" by a process that died as failed, "interrupted" at the statement
     * it had started. Called under the lock (or on H2, whose file only one process opens),
     * so nothing is really running them.
     */
    void closeInterrupted(Connection c) throws SQLException {
        try (PreparedStatement runs = c.prepareStatement(
                        "UPDATE " + RUNS + " SET state = ?, error = ?, finished_at = ? WHERE state = ?");
                PreparedStatement batches =
                        c.prepareStatement("UPDATE " + BATCHES + " SET state = ?, finished_at = ? WHERE state = ?")) {
            runs.setString(1, FAILED);
            runs.setString(2, INTERRUPTED);
            runs.setTimestamp(3, now());
            runs.setString(4, RUNNING);
            runs.executeUpdate();
            batches.setString(1, FAILED);
            batches.setTimestamp(2, now());
            batches.setString(3, RUNNING);
            batches.executeUpdate();
        }
    }

    /** All runs, oldest first; none when the tables do not exist yet (nothing has been migrated by us). */
    List<Run> runs(Connection c) throws SQLException {
        if (!tableExists(c, RUNS)) {
            return List.of();
        }
        List<Run> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, batch_id, version, description, script, direction, state,"
                        + " statements_total, statements_done, done_digest, at_statement, at_line, at_sql,"
                        + " error, started_at, duration_ms FROM " + RUNS + " ORDER BY id")) {
            while (rs.next()) {
                out.add(new Run(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getInt(8),
                        rs.getInt(9),
                        rs.getString(10),
                        rs.getObject(11, Integer.class),
                        rs.getObject(12, Integer.class),
                        rs.getString(13),
                        rs.getString(14),
                        rs.getTimestamp(15).toInstant(),
                        rs.getObject(16, Long.class)));
            }
        }
        return out;
    }

    List<Batch> batches(Connection c) throws SQLException {
        if (!tableExists(c, BATCHES)) {
            return List.of();
        }
        List<Batch> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT id, command, state, actor, backup, started_at FROM " + BATCHES + " ORDER BY id")) {
            while (rs.next()) {
                out.add(new Batch(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getTimestamp(6).toInstant()));
            }
        }
        return out;
    }

    private String flywayTable() {
        return flyway.getConfiguration().getTable();
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        // no type filter: H2 2 calls tables "BASE TABLE", MySQL "TABLE"
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), table, null)) {
            return rs.next();
        }
    }

    private static long generatedKey(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }
}
