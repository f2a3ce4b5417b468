package com.aiphoto.server.admin;

import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The admin API on MariaDB and Redis. */
class AdminApiMariaDbRedisTest extends AdminApiContract {
    private static TestDatabases.Scratch db;
    private static String prefix;

    @BeforeAll
    static void start() {
        db = TestDatabases.create("admin");
        prefix = TestRedis.randomPrefix();
        Map<String, String> m = new HashMap<>(db.settings());
        m.putAll(TestRedis.serverSettings(prefix));
        startServer(m);
    }

    @AfterAll
    static void stop() {
        try {
            stopServer();
        } finally {
            db.close();
            TestRedis.deleteByPrefix(prefix);
        }
    }
}
