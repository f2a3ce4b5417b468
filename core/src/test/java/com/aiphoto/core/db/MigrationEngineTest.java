package com.aiphoto.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.testing.MigrationFixtures;
import com.aiphoto.testing.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine on MariaDB and on H2: batches, rollback, per-statement failure and recovery, refusals. */
class MigrationEngineTest {
    enum Db {
        MARIADB,
        H2
    }

    private static final String ACTOR = "engine-test";

    @TempDir
    Path dir;

    private TestDatabases.Scratch scratch;
    private HikariDataSource ds;

    @BeforeEach
    void noDatabaseYet() {
        scratch = null;
        ds = null;
    }

    @AfterEach
    void cleanUp() {
        if (ds != null) {
            ds.close();
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    private Migrations engine(Db db, MigrationScripts scripts) {
        if (ds == null) {
            Map<String, String> settings =
                    Map.of("DATA_DIR", dir.resolve("data").toString());
            if (db == Db.MARIADB) {
                scratch = TestDatabases.create("engine");
                settings = scratch.settings();
            }
            ds = DataSources.create(DatabaseSettings.from(Settings.of(settings)), "engine-test");
        }
        return new Migrations(ds, scripts, Clock.systemUTC());
    }

    private static MigrateRequest upTo(String version) {
        return new MigrateRequest(Optional.ofNullable(version), ACTOR, Duration.ofSeconds(5), p -> Optional.empty());
    }

    private static RollbackRequest rollback(RollbackRequest.Mode mode, int steps, String to) {
        return new RollbackRequest(mode, steps, to, ACTOR, Duration.ofSeconds(5));
    }

    private static Map<String, String> states(Migrations m) {
        Map<String, String> out = new java.util.TreeMap<>();
        m.status().rows().forEach(r -> out.put(r.version(), r.state()));
        return out;
    }

    private static List<String> versions(MigrationBatch b) {
        return b.results().stream().map(r -> r.step().version()).toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void batchesAreWhatRollbackUndoes(Db db) throws SQLException {
        Migrations m = engine(db, MigrationScripts.at(MigrationFixtures.location("basic")));
        assertEquals(Map.of("1", "pending", "2", "pending", "3", "pending"), states(m));

        MigrationBatch first = m.migrate(upTo("2"), MigrationListener.NONE);
        assertEquals(List.of("1", "2"), versions(first));
        assertEquals("none", first.fromVersion());
        assertEquals("2", first.toVersion());
        MigrationBatch second = m.migrate(upTo(null), MigrationListener.NONE);
        assertEquals(List.of("3"), versions(second));
        assertEquals(0, m.migrate(upTo(null), MigrationListener.NONE).id(), "nothing left to do");

        MigrationStatus status = m.status();
        assertEquals("3", status.currentVersion());
        assertEquals(
                List.of(first.id(), first.id(), second.id()),
                status.rows().stream().map(MigrationStatus.Row::batch).toList());
        assertTrue(status.rows().stream().allMatch(r -> r.appliedAt() != null && r.durationMs() != null));
        assertTrue(m.flyway().validateWithResult().validationSuccessful, "Flyway agrees with our rows");

        MigrationBatch undo = m.rollback(RollbackRequest.lastBatch(ACTOR), MigrationListener.NONE);
        assertEquals(List.of("3"), versions(undo));
        assertEquals(Map.of("1", "applied", "2", "applied", "3", "pending"), states(m));
        assertEquals(
                List.of("2", "1"),
                versions(m.rollback(RollbackRequest.lastBatch(ACTOR), MigrationListener.NONE)),
                "then the batch before it, newest first");
        assertEquals(
                0,
                m.rollback(RollbackRequest.lastBatch(ACTOR), MigrationListener.NONE)
                        .id());

        m.migrate(upTo(null), MigrationListener.NONE);
        assertEquals(
                List.of("3"),
                versions(m.rollback(rollback(RollbackRequest.Mode.STEPS, 1, null), MigrationListener.NONE)));
        assertEquals(
                List.of("2"), versions(m.rollback(rollback(RollbackRequest.Mode.TO, 0, "1"), MigrationListener.NONE)));
        assertEquals("1", m.currentVersion());
        assertEquals(
                List.of("2", "3"),
                m.pending().stream().map(i -> i.getVersion().getVersion()).toList());
        assertTrue(
                Flyway.configure()
                        .configuration(m.flyway().getConfiguration())
                        .ignoreMigrationPatterns("*:pending")
                        .load()
                        .validateWithResult()
                        .validationSuccessful,
                "rolled back = pending for Flyway");
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM ops_migration_runs WHERE direction = 'down'")) {
            rs.next();
            assertEquals(5, rs.getInt(1), "every undo is recorded");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void failureInTheSecondStatementIsLocatedAndRolledBack(Db db) throws IOException {
        Migrations m = engine(db, MigrationScripts.directory(MigrationFixtures.copy("failing", dir.resolve("m"))));
        MigrationFailedException e =
                assertThrows(MigrationFailedException.class, () -> m.migrate(upTo(null), MigrationListener.NONE));
        assertTrue(
                e.getMessage().startsWith("V2__three_steps.sql failed at statement 2 of 3 (line 3): "), e.getMessage());
        assertTrue(e.getMessage().endsWith("[ALTER TABLE no_such_table ADD COLUMN extra INT NULL]"), e.getMessage());

        MigrationStatus status = m.status();
        assertEquals("1", status.currentVersion());
        MigrationStatus.Row v2 = status.rows().get(1);
        assertEquals("failed", v2.state());
        assertEquals(
                new MigrationStatus.Failure(
                        "up",
                        2,
                        3,
                        3,
                        "ALTER TABLE no_such_table ADD COLUMN extra INT NULL",
                        v2.failure().error(),
                        false),
                v2.failure());
        assertNotNull(v2.batch(), "the failed migration belongs to the batch it failed in");
        assertEquals(1, m.pending().size(), "not applied for Flyway (and for the server's readiness)");

        // the failed batch is undone as a whole: V2's down skips what V2 never created, then V1 goes
        MigrationBatch undo = m.rollback(RollbackRequest.lastBatch(ACTOR), MigrationListener.NONE);
        assertEquals(List.of("2", "1"), versions(undo));
        assertEquals(
                2,
                undo.results().getFirst().skipped().size(),
                undo.results().getFirst().skipped().toString());
        assertEquals(Map.of("1", "pending", "2", "pending"), states(m));
        assertEquals(List.of(), tables(), "back to the empty schema");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void rerunAfterTheFixContinuesAtTheFailedStatement(Db db) throws IOException {
        Path set = dir.resolve("m");
        Migrations m = failedOnce(db, set);
        fix(set, s -> s.replace("no_such_table", "widgets"));
        MigrationBatch rerun = m.migrate(upTo(null), MigrationListener.NONE);
        // statement 1 (CREATE TABLE step_one) is not run again: it would fail with "already exists"
        assertEquals(List.of("2"), versions(rerun));
        assertEquals(2, rerun.results().getFirst().statementsRun());
        assertEquals(Map.of("1", "applied", "2", "applied"), states(m));
        assertTrue(m.flyway().validateWithResult().validationSuccessful, "the fixed file's checksum is recorded");
        assertEquals(
                List.of("step_one", "step_three", "widgets"),
                tables().stream().sorted().toList());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void rerunRefusesWhenTheAppliedPartChanged(Db db) throws IOException {
        Path set = dir.resolve("m");
        Migrations m = failedOnce(db, set);
        fix(set, s -> s.replace("step_one (id INT", "step_one (id BIGINT"));
        MigrationRefusedException e =
                assertThrows(MigrationRefusedException.class, () -> m.migrate(upTo(null), MigrationListener.NONE));
        assertTrue(
                e.getMessage()
                        .contains("V2__three_steps.sql stopped at statement 2 last time, and its first 1"
                                + " statement(s), already applied, have changed since"),
                e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void rollbackWithoutADownScriptRefusesBeforeTouchingAnything(Db db) {
        Migrations m = engine(db, MigrationScripts.at(MigrationFixtures.location("nodown")));
        m.migrate(upTo(null), MigrationListener.NONE);
        MigrationRefusedException e = assertThrows(
                MigrationRefusedException.class,
                () -> m.rollback(RollbackRequest.lastBatch(ACTOR), MigrationListener.NONE));
        assertTrue(
                e.getMessage()
                        .startsWith("nothing rolled back: no down script for V2__add_colour.sql (expected"
                                + " db/engine/nodown/down/V2__add_colour.sql)"),
                e.getMessage());
        assertEquals(Map.of("1", "applied", "2", "applied"), states(m), "V1, which has a down script, is untouched");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void changedAppliedFileIsAMismatchAndBlocksMigrate(Db db) throws IOException {
        Path set = MigrationFixtures.copy("basic", dir.resolve("m"));
        Migrations m = engine(db, MigrationScripts.directory(set));
        m.migrate(upTo("2"), MigrationListener.NONE);
        Files.writeString(
                set.resolve("up/V1__create_widgets.sql"),
                "\n-- edited after it was applied\n",
                java.nio.file.StandardOpenOption.APPEND);
        MigrationStatus.Row v1 = m.status().rows().getFirst();
        assertEquals("checksum mismatch", v1.state());
        assertTrue(v1.problem().startsWith("V1__create_widgets.sql changed after it was applied"), v1.problem());
        MigrationRefusedException e =
                assertThrows(MigrationRefusedException.class, () -> m.migrate(upTo(null), MigrationListener.NONE));
        assertTrue(
                e.getMessage().startsWith("nothing migrated: checksum mismatch: V1__create_widgets.sql"),
                e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void serverStyleMigrateReportsAFlywayResult(Db db) {
        Migrations m = engine(db, MigrationScripts.at(MigrationFixtures.location("basic")));
        var r = m.migrate();
        assertEquals(3, r.migrationsExecuted);
        assertEquals("3", r.targetSchemaVersion);
        assertNull(m.status().lockHolder(), "the lock is released");
    }

    /** The failing set copied to {@code set}, migrated once: V1 applied, V2 stopped at its statement 2. */
    private Migrations failedOnce(Db db, Path set) {
        Migrations m = engine(db, MigrationScripts.directory(MigrationFixtures.copy("failing", set)));
        assertThrows(MigrationFailedException.class, () -> m.migrate(upTo(null), MigrationListener.NONE));
        return m;
    }

    private static void fix(Path set, Function<String, String> edit) throws IOException {
        Path v2 = set.resolve("up/V2__three_steps.sql");
        Files.writeString(v2, edit.apply(Files.readString(v2)));
    }

    private List<String> tables() {
        try (Connection c = ds.getConnection();
                ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", null)) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                String t = rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT);
                if (!t.startsWith("ops_") && !t.equals("flyway_schema_history")) {
                    out.add(t);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
