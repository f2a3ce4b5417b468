package com.aiphoto.server.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.core.db.Jdbc;
import com.aiphoto.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The callbacks on MariaDB without Redis: replays are refused through the callback_replays table. */
class CallbacksMariaDbTest extends CallbacksContract {
    private static TestDatabases.Scratch db;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("callbacks");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Override
    Map<String, String> backend() {
        return db.settings();
    }

    @Test
    void twoInstancesOnOneDatabase() throws Exception {
        replaysAreRefusedAcrossInstances();
        Jdbc jdbc = server.platform.database().jdbc();
        long rows = jdbc.queryOne("SELECT COUNT(*) AS n FROM callback_replays", r -> r.getLong("n"))
                .orElseThrow();
        assertEquals(true, rows >= 2, rows + " rows");
    }

    @Test
    void expiredReplayRowsArePurged() {
        Jdbc jdbc = server.platform.database().jdbc();
        DbReplayGuard guard = new DbReplayGuard(jdbc, Clock.systemUTC());
        String old = "a".repeat(64);
        String fresh = "b".repeat(64);
        assertEquals(true, guard.firstSeen(old, Instant.now().minus(Duration.ofMinutes(1))));
        assertEquals(true, guard.firstSeen(fresh, Instant.now().plus(Duration.ofMinutes(6))));
        assertEquals(false, guard.firstSeen(fresh, Instant.now().plus(Duration.ofMinutes(6))));
        assertEquals(true, guard.purgeExpired() >= 1);
        assertEquals(true, guard.firstSeen(old, Instant.now().plus(Duration.ofMinutes(6))), "purged, so new again");
        assertEquals(false, guard.firstSeen(fresh, Instant.now().plus(Duration.ofMinutes(6))), "kept");
        guard.forget(fresh);
        assertEquals(true, guard.firstSeen(fresh, Instant.now().plus(Duration.ofMinutes(6))), "forgotten");
    }
}
