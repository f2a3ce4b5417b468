package com.aiphoto.server.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The callbacks on MariaDB and Redis: replays are refused through Redis (SET NX), the table stays empty. */
class CallbacksMariaDbRedisTest extends CallbacksContract {
    private static TestDatabases.Scratch db;
    private static String prefix;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("callbacks_redis");
        prefix = TestRedis.randomPrefix();
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
        TestRedis.deleteByPrefix(prefix);
    }

    @Override
    Map<String, String> backend() {
        Map<String, String> m = new HashMap<>(db.settings());
        m.putAll(TestRedis.serverSettings(prefix));
        return m;
    }

    @Test
    void twoInstancesSharingRedis() throws Exception {
        replaysAreRefusedAcrossInstances();
        long rows = server.platform
                .database()
                .jdbc()
                .queryOne("SELECT COUNT(*) AS n FROM callback_replays", r -> r.getLong("n"))
                .orElseThrow();
        assertEquals(0, rows, "with Redis the table is not used");
        assertEquals(true, TestRedis.deleteByPrefix(prefix) >= 2, "the signatures were kept in Redis");
    }
}
