package com.aiphoto.server.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.testing.ScratchBackend;
import com.aiphoto.testing.TestRedis;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The callbacks on MariaDB and Redis: replays are refused through Redis (SET NX), the table stays empty. */
class CallbacksMariaDbRedisTest extends CallbacksContract {
    private static ScratchBackend backend;

    @BeforeAll
    static void database() {
        backend = ScratchBackend.create("callbacks_redis");
    }

    @AfterAll
    static void dropDatabase() {
        backend.close();
    }

    @Override
    Map<String, String> backend() {
        return backend.settings();
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
        assertEquals(true, TestRedis.deleteByPrefix(backend.prefix()) >= 2, "the signatures were kept in Redis");
    }
}
