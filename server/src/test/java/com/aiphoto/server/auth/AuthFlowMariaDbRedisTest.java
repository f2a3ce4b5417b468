package com.aiphoto.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.aiphoto.server.Http;
import com.aiphoto.server.TcpProxy;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The auth flows on MariaDB and Redis, plus limits shared by two instances. */
class AuthFlowMariaDbRedisTest extends AuthFlowContract {
    private static TestDatabases.Scratch db;
    private static String prefix;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("auth");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Override
    Map<String, String> backend() {
        if (prefix == null) {
            prefix = TestRedis.randomPrefix();
        }
        Map<String, String> m = new HashMap<>(db.settings());
        m.putAll(TestRedis.serverSettings(prefix));
        return m;
    }

    @AfterEach
    void cleanRedis() {
        // limits live in Redis: each test starts with none used
        TestRedis.deleteByPrefix(prefix);
    }

    @Test
    void aLockedUsersTableGives503WithinTheLockWaitTimeoutNotAHang() throws Exception {
        String token = loginWithCode(newPhone()).get("accessToken").asText();
        try (Connection locker =
                        DriverManager.getConnection(db.jdbcUrl(), TestDatabases.user(), TestDatabases.password());
                Statement st = locker.createStatement()) {
            st.execute("LOCK TABLES users WRITE");
            // the default bounds (lock wait 3 s, statement 5 s): a generous outer bound, not a speed target
            Http.Response me = assertTimeoutPreemptively(
                    Duration.ofSeconds(30), () -> api.get("/api/auth/me", "Authorization", "Bearer " + token));
            assertError(me, 503, 5030);
            st.execute("UNLOCK TABLES");
        }
        assertEquals(
                200, api.get("/api/auth/me", "Authorization", "Bearer " + token).status(), "and recovers");
    }

    @Test
    void aFrozenDatabaseGives503AndTheApiRecoversWhenItThaws() throws Exception {
        String token = loginWithCode(newPhone()).get("accessToken").asText();
        try (TcpProxy proxy = new TcpProxy(TestDatabases.host(), Integer.parseInt(TestDatabases.port()))) {
            Map<String, String> m = new HashMap<>(settings());
            m.put("DB_HOST", "127.0.0.1");
            m.put("DB_PORT", Integer.toString(proxy.port()));
            // /me is this test's probe of the database: the user cache would answer it from memory for a moment
            m.put("AUTH_USER_CACHE_TTL", "0s");
            var proxied = TestServers.start(dir.resolve("proxied"), m);
            try {
                Http through = new Http(proxied.port());
                assertEquals(
                        200,
                        through.get("/api/auth/me", "Authorization", "Bearer " + token)
                                .status());
                proxy.freeze();
                // default bounds (socket 7 s, connect 3 s): a generous outer bound, not a speed target
                Http.Response frozen = assertTimeoutPreemptively(
                        Duration.ofSeconds(40), () -> through.get("/api/auth/me", "Authorization", "Bearer " + token));
                assertError(frozen, 503, 5030);
                proxy.thaw();
                // connections broken by the freeze are dropped by the pool; a few requests may still meet one
                int status = 0;
                for (long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                        status != 200 && System.nanoTime() < end; ) {
                    status = through.get("/api/auth/me", "Authorization", "Bearer " + token)
                            .status();
                }
                assertEquals(200, status, "recovers once the database answers again");
            } finally {
                proxied.stop();
            }
        }
    }

    @Test
    void limitsHoldAcrossTwoInstancesSharingRedis() throws Exception {
        var other = TestServers.start(dir.resolve("second"), settings());
        try {
            String phone = newPhone();
            assertEquals(
                    200,
                    post("/api/auth/send-code", "{\"phone\":\"" + phone + "\"}").status());
            assertError(new Http(other.port()).post("/api/auth/send-code", "{\"phone\":\"" + phone + "\"}"), 429, 2004);
            // and a code sent through one instance logs in through the other
            Http.Response login = new Http(other.port())
                    .post("/api/auth/login", "{\"phone\":\"" + phone + "\",\"code\":\"" + sms.lastCode(phone) + "\"}");
            assertEquals(200, login.status(), login.body());
        } finally {
            other.stop();
        }
    }
}
