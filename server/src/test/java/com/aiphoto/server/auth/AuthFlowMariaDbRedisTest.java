package com.aiphoto.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.util.HashMap;
import java.util.Map;

import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
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
    void limitsHoldAcrossTwoInstancesSharingRedis() throws Exception {
        var other = TestServers.start(dir.resolve("second"), settings());
        try {
            String phone = newPhone();
            assertEquals(200, post("/api/auth/send-code", "{\"phone\":\"" + phone + "\"}").status());
            assertError(new Http(other.port()).post("/api/auth/send-code", "{\"phone\":\"" + phone + "\"}"),
                    429, 2004);
            // and a code sent through one instance logs in through the other
            Http.Response login = new Http(other.port()).post("/api/auth/login", "{\"phone\":\"" + phone
                    + "\",\"code\":\"" + sms.lastCode(phone) + "\"}");
            assertEquals(200, login.status(), login.body());
        } finally {
            other.stop();
        }
    }
}
