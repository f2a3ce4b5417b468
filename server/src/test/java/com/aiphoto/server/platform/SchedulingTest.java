package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.TestDatabases;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The platform scheduler: one run per period across instances, on MariaDB and H2, and the failure back-off. */
class SchedulingTest {
    private static final Scheduling.Config FAST =
            new Scheduling.Config(Duration.ofMillis(50), Duration.ofSeconds(1), 4, Duration.ofSeconds(5), 2);

    /** One execution of the job: when it ran and on which instance. */
    private record Run(String instance, Instant start, Instant end) {}

    @Test
    void aRecurringJobRunsOncePerPeriodAcrossTwoInstancesOnMariaDb() throws Exception {
        try (TestDatabases.Scratch db = TestDatabases.create("sched");
                HikariDataSource a = pool(db);
                HikariDataSource b = pool(db)) {
            new Migrations(a, Migrations.DEFAULT_LOCATION).migrate();
            List<Run> runs = Collections.synchronizedList(new ArrayList<>());
            Duration period = Duration.ofMillis(500);
            Duration window = Duration.ofSeconds(4);
            try (Scheduling one = new Scheduling(a, FAST, false);
                    Scheduling two = new Scheduling(b, FAST, false)) {
                for (Scheduling s : List.of(one, two)) {
                    s.recurring("count", period, () -> {
                        Instant start = Instant.now();
                        Thread.sleep(50); // long enough for the other instance's poll to see it picked
                        runs.add(new Run(s.name(), start, Instant.now()));
                    });
                }
                one.start();
                two.start();
                Thread.sleep(window.toMillis());
            }
            List<Run> seen = List.copyOf(runs);
            // two independent schedulers would run it about 2 x window / period times
            long most = window.toMillis() / period.toMillis() + 1;
            assertTrue(seen.size() >= 3 && seen.size() <= most, seen.size() + " runs: " + seen);
            for (int i = 1; i < seen.size(); i++) {
                Run prev = seen.get(i - 1);
                Run next = seen.get(i);
                assertTrue(!next.start().isBefore(prev.end()), "runs overlap: " + prev + " and " + next);
                // FixedDelay: the next run starts a period after the previous one ended, whichever instance
                assertTrue(
                        Duration.between(prev.end(), next.start()).compareTo(period.minusMillis(20)) >= 0,
                        "too soon: " + prev + " then " + next);
            }
            assertEquals(
                    1,
                    new Jdbc(a, Duration.ofSeconds(5))
                            .queryOne(
                                    "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'count'", r -> r.getInt(1))
                            .orElseThrow());
        }
    }

    @Test
    void theEmbeddedDefaultRunsTheSameSchedulerAndFailuresBackOff() throws Exception {
        TestDatabases.H2Scratch db = TestDatabases.h2("sched");
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        c.setMaximumPoolSize(4);
        try (HikariDataSource ds = new HikariDataSource(c)) {
            new Migrations(ds, Migrations.DEFAULT_LOCATION).migrate();
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failing = new AtomicInteger();
            Duration period = Duration.ofMillis(200);
            try (Scheduling s = new Scheduling(ds, FAST, true)) {
                s.recurring("ok", period, ok::incrementAndGet);
                s.recurring("failing", period, () -> {
                    failing.incrementAndGet();
                    throw new IllegalStateException("provider down");
                });
                s.start();
                assertThrows(IllegalStateException.class, () -> s.recurring("late", period, () -> {}));
                assertTrue(Concurrently.within(Duration.ofSeconds(5), () -> ok.get() >= 3));
                Thread.sleep(2000);
            }
            // ok ran every ~200 ms; failing waited 400, 800, 1600 ms after its failures
            assertTrue(ok.get() >= 6, "ok ran " + ok.get());
            assertTrue(
                    failing.get() >= 2 && failing.get() <= 4 && failing.get() * 2 < ok.get(),
                    "failing ran " + failing.get() + " times, ok " + ok.get());
            Instant next = new Jdbc(ds, Duration.ofSeconds(5))
                    .queryOne(
                            "SELECT execution_time FROM scheduled_tasks WHERE task_name = 'failing'",
                            r -> r.getObject(1, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC))
                    .orElseThrow();
            // stored in UTC, and pushed out by the back-off
            assertTrue(
                    next.isAfter(Instant.now().minus(2, ChronoUnit.SECONDS))
                            && next.isBefore(Instant.now().plus(10, ChronoUnit.SECONDS)),
                    next.toString());
        } finally {
            db.close();
        }
    }

    private static HikariDataSource pool(TestDatabases.Scratch db) {
        return DataSources.create(
                DatabaseSettings.from(Settings.of(db.settings())), "sched", DataSources.Workload.REQUESTS);
    }
}
