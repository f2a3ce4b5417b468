package com.aiphoto.server.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * Two servers on one database, one WeChat Pay: an aged, unpaid, unexpired order is queried once per reconcile
     * run, so the query count is the run count. Independent schedulers would make about twice as many.
     */
    @Test
    void twoInstancesRunTheReconcileJobOncePerPeriod(@TempDir Path other) throws Exception {
        Caller c = newUser();
        String orderId = purchased(c, "monthly").get("orderId").asText();
        Map<String, String> m = new HashMap<>(settings());
        m.put("RECONCILE_PERIOD", "500ms");
        server.stop();
        AiPhotoServer.Running first = TestServers.start(
                dir.resolve("one"), m, (p, auth, credentials) -> PaymentsModule.create(p, auth, Optional.of(wechat)));
        AiPhotoServer.Running second = TestServers.start(
                other, m, (p, auth, credentials) -> PaymentsModule.create(p, auth, Optional.of(wechat)));
        server = first;
        api = new Http(first.port());
        try {
            Thread.sleep(1000); // the schedule row may still carry the previous test's timing
            age(orderId, Duration.ofMinutes(6), false);
            int before = wechat.queries.get();
            Thread.sleep(4000);
            int runs = wechat.queries.get() - before;
            // 4 s / (500 ms + a run) is at most 8 runs for the cluster; two uncoordinated instances would make ~16
            assertTrue(runs >= 3 && runs <= 9, runs + " reconcile runs in 4 s");
            assertEquals("pending", order(c, orderId).get("status").asText());
        } finally {
            second.stop();
        }
    }

    @Override
    Map<String, String> backend() {
        Map<String, String> m = new HashMap<>(db.settings());
        m.putAll(TestRedis.serverSettings(prefix));
        return m;
    }
}
