package com.aiphoto.opsctl.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.aiphoto.core.testing.MigrationFixtures;
import com.aiphoto.core.testing.TestDatabases;
import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.Opsctl;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.ExitCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two concurrent db migrate: one waits, then finds nothing to do; a migrator killed while holding the lock
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
            assertTrue(second.err().startsWith("opsctl: waiting up to 60s for the migration lock held by opsctl db"
                    + " migrate ("), second.err());
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
            assertTrue(late.err().startsWith("opsctl: migration lock still held after 1s by opsctl db migrate ("),
                    late.err());
            assertEquals(1, late.errLines().size(), late.err());
            assertEquals(ExitCode.OK, a.get().code());
        }
    }

    @Test
    void killingTheHolderFreesTheLockAndTheRunIsContinued() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--sun-misc-unsafe-memory-access=allow", "-cp",
                System.getProperty("java.class.path"), Opsctl.class.getName(), "db", "migrate")
                .directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> !List.of("PATH", "HOME", "LANG").contains(k));
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        Process child = pb.start();
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

    /** Until V1 has run its first statement and is sleeping in its second (holding the lock). */
    private void awaitRunning() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestDatabases.user(), TestDatabases.password())) {
            while (System.nanoTime() < deadline) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
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
