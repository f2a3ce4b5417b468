package com.aiphoto.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.testing.MigrationFixtures;
import com.aiphoto.testing.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One migrator at a time on MariaDB: the second waits and then finds nothing; a dead holder frees the lock. */
class MigrationLockTest {
    private TestDatabases.Scratch scratch;
    private HikariDataSource ds;

    @BeforeEach
    void database() {
        scratch = TestDatabases.create("lock");
        ds = DataSources.create(DatabaseSettings.from(Settings.of(scratch.settings())), "lock-test");
    }

    @AfterEach
    void cleanUp() {
        ds.close();
        scratch.close();
    }

    private Migrations slow() {
        return new Migrations(ds, MigrationScripts.at(MigrationFixtures.location("slow")), Clock.systemUTC());
    }

    private static MigrateRequest request(String actor, Duration wait) {
        return new MigrateRequest(Optional.empty(), actor, wait, p -> Optional.empty());
    }

    @Test
    void concurrentMigratesAreSerializedAndTheSecondFindsNothing() throws Exception {
        List<String> waited = new CopyOnWriteArrayList<>();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void waiting(String message) {
                waited.add(message);
            }
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<MigrationBatch> a =
                    pool.submit(() -> slow().migrate(request("migrator A", Duration.ofSeconds(30)), listener));
            awaitHolder("migrator A");
            Future<MigrationBatch> b =
                    pool.submit(() -> slow().migrate(request("migrator B", Duration.ofSeconds(30)), listener));
            List<Integer> applied =
                    List.of(a.get().results().size(), b.get().results().size());
            assertEquals(List.of(1, 0), applied);
        }
        assertEquals(1, waited.size(), waited.toString());
        assertTrue(
                waited.getFirst().startsWith("waiting up to 30s for the migration lock held by migrator A, since "),
                waited.getFirst());
    }

    @Test
    void timeoutNamesTheHolderAndStatusShowsIt() throws Exception {
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<MigrationBatch> a = pool.submit(
                    () -> slow().migrate(request("migrator A", Duration.ofSeconds(30)), MigrationListener.NONE));
            awaitHolder("migrator A");
            while (!"running".equals(slow().status().rows().getFirst().state())
                    || !slow().status().rows().getFirst().problem().contains("statement 2")) {
                Thread.sleep(20);
            }
            assertTrue(
                    slow().status().lockHolder().startsWith("migrator A, since "),
                    slow().status().lockHolder());
            MigrationStatus.Row running = slow().status().rows().getFirst();
            assertEquals("running", running.state());
            assertEquals("V1__slow.sql is running, at statement 2 of 2 (line 3)", running.problem());
            MigrationRefusedException e = assertThrows(
                    MigrationRefusedException.class,
                    () -> slow().migrate(request("migrator B", Duration.ofSeconds(1)), MigrationListener.NONE));
            assertTrue(
                    e.getMessage().startsWith("migration lock still held after 1s by migrator A, since "),
                    e.getMessage());
            assertEquals(1, a.get().results().size());
        }
    }

    @Test
    void aHolderWhoseSessionDiesReleasesTheLock() throws Exception {
        try (Connection c = ds.getConnection()) {
            new MigrationHistory(slow().flyway(), Clock.systemUTC()).ensureTables(c);
        }
        MigrationLock lock =
                MigrationLock.acquire(ds, Dialect.MYSQL, "doomed holder", Duration.ZERO, Clock.systemUTC(), m -> {});
        long sessionId = lockSession();
        // the holder's session ends without RELEASE_LOCK, as when its process is killed
        try (Connection admin = DriverManager.getConnection(
                        TestDatabases.serverUrl(), TestDatabases.user(), TestDatabases.password());
                Statement st = admin.createStatement()) {
            st.execute("KILL " + sessionId);
        }
        long t0 = System.nanoTime();
        assertEquals(
                1,
                slow().migrate(request("next migrator", Duration.ofSeconds(10)), MigrationListener.NONE)
                        .results()
                        .size());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 8000, "did not wait for a timeout");
        try {
            lock.close();
        } catch (SQLException expected) {
            // its connection is gone
        }
    }

    /** Until {@code actor} holds the lock (it has started migrating). */
    private void awaitHolder(String actor) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String holder = slow().status().lockHolder();
            if (holder != null && holder.startsWith(actor)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(actor + " never took the lock");
    }

    private long lockSession() throws SQLException {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT IS_USED_LOCK(CONCAT('ai_photo_migrate.', DATABASE()))")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
