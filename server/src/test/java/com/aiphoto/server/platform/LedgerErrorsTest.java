package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.core.db.Jdbc;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's refusals reach clients as api.md's codes: 403/1002, 403/1003, 404/1004, without user ids. */
class LedgerErrorsTest {
    @TempDir
    Path dir;

    @Test
    void refusalsMapToTheirCodes() {
        AiPhotoServer.Running server = TestServers.start(dir, Map.of());
        try {
            Http api = new Http(server.port());
            Jdbc jdbc = server.platform().database().jdbc();
            Instant now = Instant.now();
            long expired = user(jdbc, "13600000011", 5, now.minusSeconds(1));
            long member = user(jdbc, "13600000012", 1, now.plus(Duration.ofDays(1)));
            Http.Response r = api.post("/test/deduct?user=" + expired + "&amount=1&ref=t1", "");
            assertError(r, 403, 1002);
            assertEquals(
                    "membership required or expired",
                    r.json().get("error").get("message").asText());
            assertError(api.post("/test/deduct?user=" + member + "&amount=2&ref=t2", ""), 403, 1003);
            assertError(api.post("/test/deduct?user=999999&amount=1&ref=t3", ""), 404, 1004);
            Http.Response ok = api.post("/test/deduct?user=" + member + "&amount=1&ref=t4", "");
            assertEquals(200, ok.status(), ok.body());
            assertEquals(0, ok.json().get("data").asInt());
        } finally {
            server.stop();
        }
    }

    private static long user(Jdbc jdbc, String phone, int quota, Instant memberUntil) {
        Instant now = Instant.now();
        return jdbc.insert(
                "INSERT INTO users (phone, role, quota_balance, member_expires_at, created_at, updated_at) "
                        + "VALUES (?, 'user', ?, ?, ?, ?)",
                phone,
                quota,
                memberUntil,
                now,
                now);
    }

    private static void assertError(Http.Response r, int status, int code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().get("error").get("code").asInt(), r.body());
    }
}
