package com.aiphoto.opsctl.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aiphoto.core.testing.MigrationFixtures;
import com.aiphoto.core.testing.Schemas;
import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** db migrate / rollback / status / validate through the CLI on MariaDB: outputs and exit codes. */
class DbCommandsTest {
    @TempDir
    Path dir;

    private TestDatabases.Scratch db;

    @BeforeEach
    void database() {
        db = TestDatabases.create("dbcmd");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private Map<String, String> env(String set) {
        Map<String, String> env = new HashMap<>(db.settings());
        env.put("MIGRATIONS_LOCATION", MigrationFixtures.location(set));
        return env;
    }

    private static Map<?, ?> json(Cli.Result r) {
        assertEquals(1, r.out().lines().count(), r.all());
        return Cli.json(r.out());
    }

    private static List<String> states(Map<?, ?> status) {
        return ((List<?>) status.get("migrations"))
                .stream().map(m -> (String) ((Map<?, ?>) m).get("state")).toList();
    }

    @Test
    void migrateStatusAndRollback() {
        Map<String, String> env = env("basic");
        Cli.Result status = Cli.run(env, "db", "status");
        assertEquals(CheckStatus.WARNING.exitCode, status.code(), status.all());
        assertTrue(status.out().contains("3 pending"), status.out());

        Cli.Result dry = Cli.run(env, "db", "migrate", "--dry-run");
        assertEquals(ExitCode.OK, dry.code(), dry.all());
        assertTrue(
                dry.out().contains("-- statement 2 of 2, line 9\nCREATE INDEX idx_widgets_name ON widgets (name);"),
                dry.out());
        assertEquals(
                List.of("pending", "pending", "pending"),
                states(json(Cli.run(env, "db", "status", "--json"))),
                "a dry run changes nothing");

        Cli.Result first = Cli.run(env, "db", "migrate", "--target", "2");
        assertEquals(ExitCode.OK, first.code(), first.all());
        assertTrue(
                first.out().contains("V1      create widgets") && first.out().contains("V2      add colour"),
                first.out());
        assertTrue(first.out().contains("from version none to 2: 2 migrations in batch 1"), first.out());
        Map<?, ?> second = json(Cli.run(env, "db", "migrate", "--json"));
        assertEquals("3", second.get("toVersion"));
        assertEquals(2, second.get("batch"));

        Map<?, ?> upToDate = json(Cli.run(env, "db", "status", "--json"));
        assertEquals("OK", upToDate.get("status"));
        assertEquals(List.of("applied", "applied", "applied"), states(upToDate));
        Cli.Result nagios = Cli.run(env, "db", "status", "--nagios");
        assertEquals(CheckStatus.OK.exitCode, nagios.code());
        assertTrue(
                nagios.out().startsWith("DB OK: at version 3, 0 pending")
                        && nagios.out().contains("| pending=0 bad=0"),
                nagios.out());
        assertEquals(ExitCode.OK, Cli.run(env, "db", "validate").code());

        Cli.Result unconfirmed = Cli.run(env, "db", "rollback");
        assertEquals(ExitCode.PRECONDITION, unconfirmed.code(), unconfirmed.all());
        assertTrue(
                unconfirmed.err().startsWith("opsctl: confirmation required: Undo 1 migration (V3__create_parts.sql)"),
                unconfirmed.err());
        Cli.Result undo = Cli.run(env, "db", "rollback", "--yes");
        assertEquals(ExitCode.OK, undo.code(), undo.all());
        assertTrue(undo.out().contains("from version 3 to 2: 1 migration undone"), undo.out());
        assertEquals(List.of("applied", "applied", "pending"), states(json(Cli.run(env, "db", "status", "--json"))));

        Cli.Result steps = Cli.run(env, "db", "rollback", "--steps", "2", "--dry-run");
        assertTrue(steps.out().contains("-- V2__add_colour.sql (down): 1 statement"), steps.out());
        assertEquals(
                ExitCode.OK,
                Cli.run(env, "db", "rollback", "--to", "1", "--yes").code());
        assertEquals(List.of("applied", "pending", "pending"), states(json(Cli.run(env, "db", "status", "--json"))));
        assertEquals(
                ExitCode.USAGE,
                Cli.run(env, "db", "rollback", "--steps", "1", "--to", "1").code());
        assertEquals(
                ExitCode.USAGE, Cli.run(env, "db", "migrate", "--wait", "soon").code());
    }

    @Test
    void failingSecondStatementIsNamedShownAndRolledBack() {
        Map<String, String> env = env("failing");
        Map<String, String> before = Schemas.tables(db);
        Cli.Result r = Cli.run(env, "db", "migrate");
        assertEquals(ExitCode.FAILED, r.code(), r.all());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("opsctl: V2__three_steps.sql failed at statement 2 of 3 (line 3): "), r.err());
        assertTrue(r.out().contains("V1      create widgets"), "V1 was applied before: " + r.out());

        Cli.Result status = Cli.run(env, "db", "status");
        assertEquals(CheckStatus.CRITICAL.exitCode, status.code(), status.all());
        assertTrue(status.out().contains("    V2__three_steps.sql statement 2 of 3 (line 3) failed: "), status.out());
        Map<?, ?> failure = (Map<?, ?>) ((Map<?, ?>)
                        ((List<?>) json(Cli.run(env, "db", "status", "--json")).get("migrations")).get(1))
                .get("failure");
        assertEquals(2, failure.get("statement"));
        assertEquals("ALTER TABLE no_such_table ADD COLUMN extra INT NULL", failure.get("sql"));
        assertEquals(ExitCode.FAILED, Cli.run(env, "db", "validate").code());

        Cli.Result undo = Cli.run(env, "db", "rollback", "--yes");
        assertEquals(ExitCode.OK, undo.code(), undo.all());
        assertTrue(undo.out().contains("(nothing to undo for statement 1"), undo.out());
        assertEquals(before, Schemas.tables(db), "the schema before the failed migrate");
        assertEquals(CheckStatus.WARNING.exitCode, Cli.run(env, "db", "status").code(), "pending again, not failed");
    }

    @Test
    void aFailedMigrationOnAnAppliedOneRollsBackToExactlyThePriorSchema() {
        Map<String, String> env = env("failing");
        assertEquals(ExitCode.OK, Cli.run(env, "db", "migrate", "--target", "1").code());
        Map<String, String> prior = Schemas.tables(db);
        assertEquals(List.of("widgets"), List.copyOf(prior.keySet()), "V1's schema, compared as SHOW CREATE TABLE");

        Cli.Result r = Cli.run(env, "db", "migrate");
        assertEquals(ExitCode.FAILED, r.code(), r.all());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("opsctl: V2__three_steps.sql failed at statement 2 of 3 (line 3): "), r.err());
        assertTrue(
                r.err().contains("ALTER TABLE no_such_table ADD COLUMN extra INT NULL"), "names the SQL: " + r.err());
        assertTrue(Schemas.tables(db).containsKey("step_one"), "statement 1 ran before the failure");

        Cli.Result undo = Cli.run(env, "db", "rollback", "--yes");
        assertEquals(ExitCode.OK, undo.code(), undo.all());
        assertEquals(prior, Schemas.tables(db), "V1's schema exactly, V2's partial work undone");
        assertEquals(List.of("applied", "pending"), states(json(Cli.run(env, "db", "status", "--json"))));
    }

    @Test
    void rerunAfterFixingTheScriptContinues() throws IOException {
        Path set = MigrationFixtures.copy("failing", dir.resolve("migrations"));
        Map<String, String> env = db.settings();
        assertEquals(
                ExitCode.FAILED,
                Cli.run(env, "db", "migrate", "--location", set.toString()).code());
        Path v2 = set.resolve("up/V2__three_steps.sql");
        Files.writeString(v2, Files.readString(v2).replace("no_such_table", "widgets"));
        Cli.Result r = Cli.run(env, "db", "migrate", "--location", set.toString());
        assertEquals(ExitCode.OK, r.code(), r.all());
        assertTrue(r.out().contains("(continued at statement 2)"), r.out());
        assertEquals(
                CheckStatus.OK.exitCode,
                Cli.run(env, "db", "status", "--location", set.toString()).code());
        assertEquals(
                CheckStatus.UNKNOWN.exitCode,
                Cli.run(env, "db", "status", "--location", dir.resolve("nope").toString())
                        .code());
    }

    @Test
    void missingDownScriptRefusesNamingItAndChangesNothing() {
        Map<String, String> env = env("nodown");
        assertEquals(ExitCode.OK, Cli.run(env, "db", "migrate").code());
        Map<String, String> migrated = Schemas.tables(db);
        Cli.Result r = Cli.run(env, "db", "rollback", "--yes");
        assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
        assertTrue(r.err().startsWith("opsctl: nothing rolled back: no down script for V2__add_colour.sql"), r.err());
        assertTrue(r.err().contains("restore the backup taken before it"), r.err());
        assertEquals(migrated, Schemas.tables(db));
        Cli.Result validate = Cli.run(env, "db", "validate");
        assertEquals(ExitCode.OK, validate.code());
        assertTrue(validate.out().contains("warning: V2__add_colour.sql has no down script"), validate.out());
    }

    @Test
    void rollbackOfAPartlyAppliedMigrationRefusesToUndoDataChangesThatNeverRan() throws Exception {
        Path set = migrations(
                "up/V1__accounts.sql",
                        "CREATE TABLE accounts (id INT NOT NULL PRIMARY KEY, credits INT NOT NULL);\n"
                                + "INSERT INTO accounts (id, credits) VALUES (1, 100);\n",
                "down/V1__accounts.sql", "DROP TABLE accounts;\n",
                "up/V2__grant.sql",
                        "ALTER TABLE accounts ADD COLUMN bonus INT NULL;\n"
                                + "ALTER TABLE no_such_table ADD COLUMN x INT NULL;\n"
                                + "UPDATE accounts SET credits = credits + 10;\n",
                "down/V2__grant.sql",
                        "UPDATE accounts SET credits = credits - 10;\n" + "ALTER TABLE accounts DROP COLUMN bonus;\n");
        Map<String, String> env = db.settings();
        assertEquals(
                ExitCode.OK,
                Cli.run(env, "db", "migrate", "--location", set.toString(), "--target", "1")
                        .code());
        assertEquals(
                ExitCode.FAILED,
                Cli.run(env, "db", "migrate", "--location", set.toString()).code());
        Map<String, String> failed = Schemas.tables(db);

        Cli.Result r = Cli.run(env, "db", "rollback", "--yes", "--location", set.toString());
        assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
        assertEquals(
                List.of("opsctl: nothing rolled back: V2__grant.sql stopped after statement 1 of 3, so its data"
                        + " statement 3 [UPDATE accounts SET credits = credits + 10] never ran, but its down script would"
                        + " undo data changes with statement 1 [UPDATE accounts SET credits = credits - 10]; undo statements"
                        + " 1 to 1 by hand, or fix the script and re-run db migrate (it continues at statement 2), or restore"
                        + " the backup taken before it"),
                r.errLines());
        assertEquals(failed, Schemas.tables(db), "nothing changed");
        assertEquals(100, queryInt("SELECT credits FROM accounts WHERE id = 1"));
    }

    private int queryInt(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestDatabases.user(), TestDatabases.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A migration set in the temp dir: pairs of path (up/V1__x.sql, down/V1__x.sql) and content. */
    private Path migrations(String... pathsAndContents) throws IOException {
        Path set = dir.resolve("set");
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            Path f = set.resolve(pathsAndContents[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, pathsAndContents[i + 1]);
        }
        Files.createDirectories(set.resolve("down"));
        return set;
    }

    @Test
    void productionRollbackTakesABackupFirst() {
        Map<String, String> env = env("basic");
        env.put("APP_ENV", "production");
        env.put("BACKUP_DIR", dir.resolve("backups").toString());
        assertEquals(ExitCode.OK, Cli.run(env, "db", "migrate", "--no-backup").code());
        Cli.Result r = Cli.run(env, "db", "rollback", "--yes");
        assertEquals(ExitCode.OK, r.code(), r.all());
        assertTrue(r.err().contains("opsctl: backup before rolling back from version 3: " + db.name() + "-"), r.err());
        String backup =
                r.out().substring(r.out().indexOf(", backup ") + 9, r.out().lastIndexOf(')'));
        assertTrue(backup.endsWith("-pre-rollback"), r.out());
        assertTrue(Files.exists(dir.resolve("backups").resolve(backup + ".json")));
        Cli.Result skipped = Cli.run(env, "db", "rollback", "--yes", "--no-backup");
        assertEquals(ExitCode.OK, skipped.code(), skipped.all());
        assertTrue(!skipped.all().contains("backup"), skipped.all());
    }

    @Test
    void anotherApplicationsSchemaIsRefusedWithTheReason() throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestDatabases.user(), TestDatabases.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE wp_posts (id INT PRIMARY KEY)");
        }
        Cli.Result r = Cli.run(env("basic"), "db", "migrate");
        assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
        assertEquals(
                List.of("opsctl: database " + db.name() + " already has 1 table(s) (wp_posts) but no"
                        + " flyway_schema_history: it is not an ai-photo database, or was set up without opsctl; nothing was"
                        + " changed; point DB_NAME at an empty or ai-photo database"),
                r.errLines());
        assertEquals(Map.of("wp_posts", Schemas.tables(db).get("wp_posts")), Schemas.tables(db));
    }

    @Test
    void badVersionsAreUsageErrorsAndCheckCommandsSayUnknown() {
        Map<String, String> env = env("basic");
        Cli.Result target = Cli.run(env, "db", "migrate", "--target", "abc");
        assertEquals(ExitCode.USAGE, target.code(), target.all());
        assertTrue(
                target.err()
                        .startsWith("opsctl: Invalid value for option '--target': 'abc' is not a migration"
                                + " version (e.g. 7 or 1.2)"),
                target.err());
        assertEquals(
                ExitCode.USAGE,
                Cli.run(env, "db", "rollback", "--to", "abc", "--yes").code());
        for (List<String> args : List.of(
                List.of("db", "status", "--bogus"),
                List.of("config", "check", "extra"),
                List.of("db", "status", "--nagios", "--json"))) {
            Cli.Result r = Cli.run(env, args.toArray(String[]::new));
            assertEquals(CheckStatus.UNKNOWN.exitCode, r.code(), args + ": " + r.all());
        }
    }

    @Test
    void jsonIsOneDocumentOnStdoutWhenCommandsFail() throws SQLException {
        Map<String, String> unreachable = new HashMap<>(db.settings());
        unreachable.put("DB_PORT", "1");
        Cli.Result noDb = Cli.run(unreachable, "db", "migrate", "--json");
        assertEquals(ExitCode.FAILED, noDb.code(), noDb.all());
        assertEquals(
                Map.of(
                        "error",
                        "cannot connect to mysql://root@127.0.0.1:1/" + db.name() + ": Connection refused",
                        "exitCode",
                        1),
                json(noDb));

        Cli.Result user = Cli.run(db.settings(), "user", "show", "12345", "--json");
        assertEquals(ExitCode.USAGE, user.code(), user.all());
        assertEquals(Map.of("error", "PHONE must be an 11-digit mainland mobile number", "exitCode", 2), json(user));

        Cli.Result failed = Cli.run(env("failing"), "db", "migrate", "--json");
        assertEquals(ExitCode.FAILED, failed.code(), failed.all());
        assertTrue(
                ((String) json(failed).get("error")).startsWith("V2__three_steps.sql failed at statement 2"),
                failed.out());

        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestDatabases.user(), TestDatabases.password());
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE flyway_schema_history");
        }
        Cli.Result refused = Cli.run(env("failing"), "db", "migrate", "--json");
        assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
        assertEquals(3, json(refused).get("exitCode"));
    }

    @Test
    void aMigrationAppliedByANewerBuildIsAWarningAndMigrateGoesOn() throws IOException {
        assertEquals(ExitCode.OK, Cli.run(env("basic"), "db", "migrate").code());
        Path older = MigrationFixtures.copy("basic", dir.resolve("older"));
        Files.delete(older.resolve("up/V3__create_parts.sql"));
        Files.delete(older.resolve("down/V3__create_parts.sql"));
        String[] location = {"--location", older.toString()};

        Cli.Result status = Cli.run(db.settings(), "db", "status", location[0], location[1]);
        assertEquals(CheckStatus.WARNING.exitCode, status.code(), status.all());
        assertTrue(
                status.out().contains("V3__create_parts.sql was applied by a newer build than this one"), status.out());
        Cli.Result migrate = Cli.run(db.settings(), "db", "migrate", location[0], location[1]);
        assertEquals(ExitCode.OK, migrate.code(), migrate.all());
        assertTrue(
                migrate.err().startsWith("opsctl: warning: V3__create_parts.sql was applied by a newer build"),
                migrate.err());
        assertTrue(migrate.out().contains("nothing to migrate"), migrate.out());
        Cli.Result validate = Cli.run(db.settings(), "db", "validate", location[0], location[1]);
        assertEquals(ExitCode.OK, validate.code(), validate.all());
        assertTrue(validate.out().contains("warning: future: V3__create_parts.sql"), validate.out());
    }

    @Test
    void aReadableEnvFileIsAWarningAndRefusedInProduction() throws IOException {
        assumeTrue(Cli.posix(dir));
        List<String> lines = new ArrayList<>(env("basic").entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList());
        Path file = Cli.envFile(dir, "rw-r--r--", lines.toArray(String[]::new));
        Cli.Result dev = Cli.run(Map.of(), "db", "migrate", "--dry-run", "--env-file", file.toString());
        assertEquals(ExitCode.OK, dev.code(), dev.all());
        assertEquals(
                List.of("opsctl: warning: env file " + file + " is readable by group or others (mode 644); run"
                        + " chmod 600 " + file),
                dev.errLines());

        lines.add("APP_ENV=production");
        file = Cli.envFile(dir, "rw-r-----", lines.toArray(String[]::new));
        Cli.Result prod = Cli.run(Map.of(), "db", "migrate", "--dry-run", "--env-file", file.toString());
        assertEquals(ExitCode.PRECONDITION, prod.code(), prod.all());
        assertEquals(
                List.of("opsctl: env file " + file + " is readable by group or others (mode 640); refusing to"
                        + " use it in production: run chmod 600 " + file),
                prod.errLines());

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Cli.Result ok = Cli.run(Map.of(), "db", "migrate", "--dry-run", "--env-file", file.toString());
        assertEquals(ExitCode.OK, ok.code(), ok.all());
        assertEquals("", ok.err());
    }

    @Test
    void aRefusingServerIsReportedAtOnceNotAfterTheConnectTimeout() {
        Map<String, String> env = new HashMap<>(db.settings());
        env.put("DB_PORT", "1");
        env.put("DB_CONNECT_TIMEOUT", "30s"); // the pool would retry the refused connection for all of it
        long t0 = System.nanoTime();
        Cli.Result r = Cli.run(env, "db", "migrate");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        assertEquals(ExitCode.FAILED, r.code(), r.all());
        assertTrue(r.err().endsWith(": Connection refused\n"), r.err());
        assertTrue(seconds < 15, "refused: reported after " + seconds + " s, not the 30 s connect timeout");
    }

    @Test
    void repairAcceptsCommentOnlyEditsAndRefusesChangedStatements() throws IOException {
        Path set = MigrationFixtures.copy("basic", dir.resolve("edited"));
        Map<String, String> env = db.settings();
        String location = set.toString();
        assertEquals(
                ExitCode.OK,
                Cli.run(env, "db", "migrate", "--location", location).code());
        Path v1 = set.resolve("up/V1__create_widgets.sql");
        String original = Files.readString(v1);
        Files.writeString(v1, "-- widgets: what sellers list\n\n" + original + "\n# reviewed 2026-12\n");
        assertEquals(
                ExitCode.PRECONDITION,
                Cli.run(env, "db", "migrate", "--location", location).code(),
                "a checksum mismatch blocks migrate");

        Cli.Result unconfirmed = Cli.run(env, "db", "repair", "--location", location);
        assertEquals(ExitCode.PRECONDITION, unconfirmed.code(), unconfirmed.all());
        Cli.Result dry = Cli.run(env, "db", "repair", "--dry-run", "--location", location);
        assertTrue(dry.out().contains("dry run: would realign 1 migration (V1__create_widgets.sql)"), dry.out());
        Cli.Result repaired = Cli.run(env, "db", "repair", "--yes", "--location", location);
        assertEquals(ExitCode.OK, repaired.code(), repaired.all());
        assertTrue(
                repaired.out().contains("V1__create_widgets.sql: checksum ")
                        && repaired.out().contains("(only comments or blank space changed)"),
                repaired.out());
        assertEquals(
                CheckStatus.OK.exitCode,
                Cli.run(env, "db", "status", "--location", location).code());
        assertTrue(Cli.run(env, "db", "repair", "--yes", "--location", location)
                .out()
                .contains("nothing to repair"));

        Files.writeString(v1, original.replace("widgets", "gadgets"));
        Cli.Result refused = Cli.run(env, "db", "repair", "--yes", "--location", location);
        assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
        assertEquals(
                List.of("opsctl: nothing repaired: V1__create_widgets.sql has statements that differ from those"
                        + " applied, not only comments or blank space: restore the file and put the change in a new"
                        + " migration"),
                refused.errLines());
        assertEquals(
                CheckStatus.CRITICAL.exitCode,
                Cli.run(env, "db", "status", "--location", location).code());
    }

    @Test
    void productionWithoutADatabaseRefusesInsteadOfUsingH2() {
        Path data = dir.resolve("data");
        Map<String, String> env = Map.of("APP_ENV", "production", "DATA_DIR", data.toString());
        for (List<String> args : List.of(
                List.of("db", "migrate"), List.of("db", "rollback", "--yes"), List.of("user", "show", "13800138000"))) {
            Cli.Result r = Cli.run(env, args.toArray(String[]::new));
            assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
            assertEquals(
                    List.of("opsctl: no database configured: APP_ENV=production and DB_HOST is not set (env file:"
                            + " none found); refusing the embedded H2 database; set DB_HOST or pass --env-file"),
                    r.errLines());
        }
        assertEquals(CheckStatus.UNKNOWN.exitCode, Cli.run(env, "db", "status").code());
        assertTrue(!Files.exists(data), "no H2 file was created");
    }

    @Test
    void unreachableDatabaseIsOneLineAndNoSecret() {
        Map<String, String> env = new HashMap<>(db.settings());
        env.put("DB_PORT", "1");
        env.put("DB_PASSWORD", "hunter2-secret-value");
        env.put("DB_CONNECT_TIMEOUT", "1s");
        Cli.Result migrate = Cli.run(env, "db", "migrate");
        assertEquals(ExitCode.FAILED, migrate.code());
        assertEquals(
                List.of("opsctl: cannot connect to mysql://root@127.0.0.1:1/" + db.name() + ": Connection refused"),
                migrate.errLines());
        Cli.Result status = Cli.run(env, "db", "status", "--json");
        assertEquals(CheckStatus.UNKNOWN.exitCode, status.code());
        assertEquals("UNKNOWN", json(status).get("status"));
        for (Cli.Result r : List.of(migrate, status, Cli.run(env, "db", "status", "-v"))) {
            assertTrue(!r.all().contains("hunter2-secret-value"), r.all());
        }
    }
}
