package com.aiphoto.server.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.auth.TestTokens;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default with no WeChat Pay: a clear 502/3004 for purchases, everything else works. */
class WithoutWeChatPayTest {
    @TempDir
    Path dir;

    @Test
    void purchaseSaysWeChatPayIsNotConfiguredAndTheRestWorks() {
        String secret = PaymentsFlowContract.JWT_SECRET;
        AiPhotoServer.Running server = TestServers.start(dir, Map.of("JWT_SECRET", secret));
        try {
            Http api = new Http(server.port());
            Instant now = Instant.now();
            long id = server.platform()
                    .database()
                    .jdbc()
                    .insert(
                            "INSERT INTO users (phone, role, quota_balance, created_at, updated_at) "
                                    + "VALUES ('13600000001', 'user', 0, ?, ?)",
                            now,
                            now);
            String[] auth = {"Authorization", "Bearer " + TestTokens.issue(secret, id)};
            Http.Response r = api.post("/api/membership/purchase", "{\"planId\":\"monthly\"}", auth);
            assertEquals(502, r.status(), r.body());
            assertEquals(3004, r.json().get("error").get("code").asInt());
            assertEquals(
                    "WeChat Pay is not configured",
                    r.json().get("error").get("message").asText());
            // an unknown plan is still the client's mistake, not the provider's
            assertEquals(
                    3001,
                    api.post("/api/payment/wechat/create", "{\"planId\":\"x\"}", auth)
                            .json()
                            .get("error")
                            .get("code")
                            .asInt());
            assertEquals(200, api.get("/api/membership/plans").status());
            assertEquals(200, api.get("/api/membership/status", auth).status());
            assertEquals(
                    0,
                    server.platform()
                            .database()
                            .jdbc()
                            .queryOne("SELECT COUNT(*) FROM orders", rs -> rs.getInt(1))
                            .orElseThrow());
        } finally {
            server.stop();
        }
    }
}
