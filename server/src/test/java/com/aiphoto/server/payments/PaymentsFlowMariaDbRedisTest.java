package com.aiphoto.server.payments;

import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Membership and orders on MariaDB and Redis. */
class PaymentsFlowMariaDbRedisTest extends PaymentsFlowContract {
    private static TestDatabases.Scratch db;
    private static String prefix;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("payments");
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
}
