package com.aiphoto.server.tasks;

import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tasks end to end on MariaDB and Redis (wake-ups through Redis). */
class TaskEndToEndMariaDbRedisTest extends TaskEndToEndContract {
    private static TestDatabases.Scratch db;
    private static String prefix;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("tasks_e2e");
        prefix = TestRedis.randomPrefix();
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
        TestRedis.deleteByPrefix(prefix);
    }

    @Override
    Map<String, String> backend() {
        Map<String, String> m = new HashMap<>(db.settings("mariadb"));
        m.putAll(TestRedis.serverSettings(prefix));
        return m;
    }
}
