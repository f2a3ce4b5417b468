package com.aiphoto.opsctl.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.testing.MigrationFixtures;
import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.Opsctl;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two (and three) concurrent db migrate: one waits, then finds nothing to do; a migrator killed while holding the lock
 * frees it, and what it left half-done is reported and continued. The "slow" fixture's V1 creates a table,
 * then sleeps 3 s.
 */
class DbLockTest {
    @TempDir
    Path dir;

    private TestDatabases.Scratch db;
    private Map<String, String> env;

    @BeforeEach
    void database() {
        db = TestDatabases.create("dblock");
        env = new HashMap<>(db.settings());
        env.put("MIGRATIONS_LOCATION", MigrationFixtures.location("slow"));
        // migrate takes a pre-migration backup: into the test's directory, not the machine's /var/backups
        env.put("BACKUP_DIR", dir.resolve("backups").toString());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void concurrentMigratesSerializeAndTheSecondFindsNothing() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Cli.Result> a = pool.submit(() -> Cli.run(env, "db", "migrate"));
            awaitRunning();
            Future<Cli.Result> b = pool.submit(() -> Cli.run(env, "db", "migrate"));
            Cli.Result first = a.get();
            Cli.Result second = b.get();
            assertEquals(ExitCode.OK, first.code(), first.all());
            assertEquals(ExitCode.OK, second.code(), second.all());
            assertTrue(first.out().contains("1 migration in batch 1"), first.out());
            assertTrue(second.out().contains("nothing to migrate"), second.out());
            assertTrue(
                    second.err()
                            .startsWith("opsctl: waiting up to 60s for the migration lock held by opsctl db"
                                    + " migrate ("),
                    second.err());
        }
    }

    @Test
    void threeConcurrentMigratesSerializeAndEachMigrationIsAppliedOnce() throws Exception {
        Path set = dir.resolve("counted");
        Files.createDirectories(set.resolve("up"));
        Files.createDirectories(set.resolve("down"));
        Files.writeString(set.resolve("down/V1__counter.sql"), "DROP TABLE counter;\n");
        Files.writeString(set.resolve("down/V2__count.sql"), "UPDATE counter SET n = n - 1;\n");
        Files.writeString(
                set.resolve("up/V1__counter.sql"),
                "CREATE TABLE counter (id INT NOT NULL PRIMARY KEY, n INT NOT NULL);\n"
                        + "INSERT INTO counter (id, n) VALUES (1, 0);\nSELECT SLEEP(2);\n");
        // not idempotent: run twice, it would count 2
        Files.writeString(set.resolve("up/V2__count.sql"), "UPDATE counter SET n = n + 1;\n");
        Map<String, String> counted = new HashMap<>(env);
        counted.put("MIGRATIONS_LOCATION", "filesystem:" + set.resolve("up"));

        List<Cli.Result> runs = Concurrently.run(3, () -> Cli.run(counted, "db", "migrate"));
        for (Cli.Result r : runs) {
            assertEquals(ExitCode.OK, r.code(), r.all());
        }
        List<Cli.Result> applied = runs.stream()
                .filter(r -> r.out().contains("2 migrations in batch 1"))
                .toList();
        List<Cli.Result> waited = runs.stream()
                .filter(r -> r.out().contains("nothing to migrate"))
                .toList();
        assertEquals(1, applied.size(), runs.toString());
        assertEquals(2, waited.size(), runs.toString());
        for (Cli.Result r : waited) {
            assertTrue(r.err().contains("opsctl: waiting up to 60s for the migration lock held by "), r.err());
        }
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT n FROM counter")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "V2 ran once");
            }
            try (ResultSet rs = st.executeQuery("SELECT GROUP_CONCAT(version ORDER BY version) FROM"
                    + " flyway_schema_history WHERE success = 1 AND version IS NOT NULL")) {
                assertTrue(rs.next());
                assertEquals("1,2", rs.getString(1), "one history row per migration");
            }
        }
    }

    @Test
    void lockStillHeldAfterWaitIsExit3NamingTheHolder() throws Exception {
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<Cli.Result> a = pool.submit(() -> Cli.run(env, "db", "migrate"));
            awaitRunning();
            Cli.Result status = Cli.run(env, "db", "status");
            assertTrue(status.out().contains("lock held by opsctl db migrate ("), status.out());
            Cli.Result late = Cli.run(env, "db", "migrate", "--wait", "1s", "-q");
            assertEquals(ExitCode.PRECONDITION, late.code(), late.all());
            assertTrue(
                    late.err().startsWith("opsctl: migration lock still held after 1s by opsctl db migrate ("),
                    late.err());
            assertEquals(1, late.errLines().size(), late.err());
            assertEquals(ExitCode.OK, a.get().code());
        }
    }

    @Test
    void killingTheHolderFreesTheLockAndTheRunIsContinued() throws Exception {
        Process child = opsctlChild(env, "db", "migrate");
        try {
            awaitRunning();
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        }

        Cli.Result status = Cli.run(env, "db", "status");
        assertEquals(CheckStatus.CRITICAL.exitCode, status.code(), status.all());
        assertTrue(status.out().contains("V1__slow.sql statement 2 of 2 (line 3) was interrupted"), status.out());
        assertTrue(status.out().contains("lock free"), status.out());

        long t0 = System.nanoTime();
        Cli.Result rerun = Cli.run(env, "db", "migrate", "--wait", "10s");
        assertEquals(ExitCode.OK, rerun.code(), rerun.all());
        assertTrue((System.nanoTime() - t0) / 1_000_000_000 < 9, "the lock was free, no waiting it out");
        assertTrue(rerun.out().contains("(continued at statement 2)"), rerun.out());
        assertEquals(CheckStatus.OK.exitCode, Cli.run(env, "db", "status").code());
    }

    @Test
    void killedMidUpdateTheRerunWaitsForTheOrphanedStatementAndAppliesItOnce() throws Exception {
        Map<String, String> bump = bumpMigrations();
        stopDuringTheUpdate(bump, true); // kill -9: the UPDATE goes on running on the server
        Cli.Result early = Cli.run(bump, "db", "migrate", "--wait", "1s");
        assertEquals(ExitCode.PRECONDITION, early.code(), early.all());
        assertTrue(
                early.err().contains("left running on the server is still running after 1s (connection "), early.err());
        assertTrue(early.err().contains("UPDATE bumped SET n = n + 1"), early.err());

        Cli.Result rerun = Cli.run(bump, "db", "migrate", "--wait", "30s");
        assertEquals(ExitCode.OK, rerun.code(), rerun.all());
        assertEquals(List.of(1, 1), counters(), "the UPDATE applied exactly once");
    }

    @Test
    void sigtermKillsTheRunningStatementAndRecordsTheInterruption() throws Exception {
        Map<String, String> bump = bumpMigrations();
        stopDuringTheUpdate(bump, false); // SIGTERM, as Ctrl-C or systemd would
        assertEquals(0L, runningBumps(), "KILL QUERY stopped the statement on the server");
        Cli.Result status = Cli.run(bump, "db", "status");
        assertTrue(status.out().contains("V2__bump.sql statement 1 of 1 (line 1) was interrupted"), status.out());
        assertEquals(List.of(0, 0), counters(), "the killed UPDATE rolled back");
        Cli.Result rerun = Cli.run(bump, "db", "migrate", "--wait", "1s");
        assertEquals(ExitCode.OK, rerun.code(), rerun.all());
        assertEquals(List.of(1, 1), counters());
    }

    @Test
    void theDatabaseDyingMidRunIsOneErrorLineWithoutPoolStackTraces() throws Exception {
        Map<String, String> bump = bumpMigrations();
        Process child = opsctlChild(bump, "db", "migrate");
        try {
            awaitUpdateRunning();
            try (Connection c = connect();
                    Statement st = c.createStatement()) {
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '"
                        + db.name() + "' AND ID <> CONNECTION_ID()")) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                for (long id : ids) {
                    try {
                        st.execute("KILL CONNECTION " + id); // as a server restart would
                    } catch (SQLException gone) {
                        if (gone.getErrorCode() != 1094) { // ER_NO_SUCH_THREAD: it closed since the listing
                            throw gone;
                        }
                    }
                }
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        List<String> err = Files.readAllLines(dir.resolve("err.txt"));
        assertEquals(ExitCode.FAILED, child.exitValue(), String.join("\n", err));
        assertTrue(
                err.stream().noneMatch(l -> l.contains("WARN") || l.strip().startsWith("at ")), String.join("\n", err));
        assertTrue(err.size() <= 3, String.join("\n", err));
    }

    /** V1 creates two counters at 0, V2 adds 1 to each, sleeping 3 s per row while it does. */
    private Map<String, String> bumpMigrations() throws IOException {
        Path set = dir.resolve("bump");
        Files.createDirectories(set.resolve("up"));
        Files.createDirectories(set.resolve("down"));
        Files.writeString(
                set.resolve("up/V1__bumped.sql"),
                "CREATE TABLE bumped (id INT NOT NULL PRIMARY KEY,"
                        + " n INT NOT NULL);\nINSERT INTO bumped (id, n) VALUES (1, 0), (2, 0);\n");
        Files.writeString(set.resolve("down/V1__bumped.sql"), "DROP TABLE bumped;\n");
        Files.writeString(set.resolve("up/V2__bump.sql"), "UPDATE bumped SET n = n + 1 + SLEEP(3) * 0;\n");
        Files.writeString(set.resolve("down/V2__bump.sql"), "UPDATE bumped SET n = n - 1;\n");
        Map<String, String> bump = new HashMap<>(db.settings());
        bump.put("BACKUP_DIR", dir.resolve("backups").toString());
        bump.put("MIGRATIONS_LOCATION", "filesystem:" + set.resolve("up"));
        return bump;
    }

    private Process opsctlChild(Map<String, String> childEnv, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "--sun-misc-unsafe-memory-access=allow",
                "-cp",
                System.getProperty("java.class.path"),
                Opsctl.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> !List.of("PATH", "HOME", "LANG").contains(k));
        pb.environment().putAll(childEnv);
        pb.redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        return pb.start();
    }

    private List<Integer> counters() throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT n FROM bumped ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    private long runningBumps() throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        // this test's database only: other suites on the same server may run the same UPDATE
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '" + db.name()
                                + "' AND INFO LIKE 'UPDATE bumped%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs db migrate in a child JVM and kills it (-9, or SIGTERM) while V2's UPDATE runs on the server. */
    private void stopDuringTheUpdate(Map<String, String> childEnv, boolean forcibly) throws Exception {
        Process child = opsctlChild(childEnv, "db", "migrate");
        try {
            awaitUpdateRunning();
        } finally {
            if (forcibly) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
            assertTrue(child.waitFor(15, TimeUnit.SECONDS));
        }
    }

    /** Until V2's UPDATE is on the server. */
    private void awaitUpdateRunning() throws SQLException, InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (runningBumps() > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the UPDATE never started: " + Files.readString(dir.resolve("err.txt")));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), TestDatabases.user(), TestDatabases.password());
    }

    /** Until V1 has run its first statement and is sleeping in its second (holding the lock). */
    private void awaitRunning() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestDatabases.user(), TestDatabases.password())) {
            while (System.nanoTime() < deadline) {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery(
                                "SELECT statements_done FROM ops_migration_runs WHERE state = 'running'")) {
                    if (rs.next() && rs.getInt(1) == 1) {
                        return;
                    }
                } catch (SQLException notYet) {
                    // tables not created yet
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the migrator never got to its second statement");
    }
}
