package com.aiphoto.server.payments;

import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.util.HashMap;
import java.util.Map;

/** The payment flows end to end on MariaDB and Redis. */
class WeChatPayEndToEndMariaDbRedisTest extends WeChatPayEndToEndContract {
    private TestDatabases.Scratch db;
    private String prefix;

    @Override
    Map<String, String> backend() {
        db = TestDatabases.create("payments_e2e");
        prefix = TestRedis.randomPrefix();
        Map<String, String> m = new HashMap<>(db.settings());
        m.putAll(TestRedis.serverSettings(prefix));
        return m;
    }

    @Override
    void releaseBackend() {
        if (db != null) {
            db.close();
            TestRedis.deleteByPrefix(prefix);
        }
    }
}
