package com.aiphoto.server.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.Http;
import com.aiphoto.server.NoSecrets;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.FakeWeChatPay;
import com.aiphoto.testing.LogCapture;
import com.aiphoto.testing.WeChatPayKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WeChat Pay under merchant credentials stored over the admin API (embedded default): orders go to, and
 * notifications are verified under, the stored merchant from the next purchase on, without a restart, though the
 * credential cache would keep values for 10 minutes; a stored credential that does not build (a broken private key)
 * is logged without any value and leaves payments on the merchant they were on. No credential plaintext appears in
 * a log or an audit row.
 */
class WeChatPayStoredMerchantTest extends PaymentsFixture {
    private static final String ENCRYPTION_KEY = "q3Jm0d4cJ5r7xZbq1mVn8bR3kY6tW2eLh9sPa0fUu4c=";
    /** The APIv3 key of the broken credential: 32 characters, so that the private key is what is refused. */
    private static final String BROKEN_API_V3_KEY = "brokenApiV3Key0123456789abcdefXY";

    @TempDir
    Path dir;

    @Test
    void ordersAndNotificationsFollowTheStoredMerchantAndABrokenOneKeepsThePrevious() throws Exception {
        WeChatPayKeys envKeys = WeChatPayKeys.generate(dir.resolve("env-keys"));
        WeChatPayKeys storedKeys = WeChatPayKeys.generate(dir.resolve("stored-keys"));
        try (FakeWeChatPay envPay = new FakeWeChatPay(envKeys);
                FakeWeChatPay storedPay = new FakeWeChatPay(storedKeys)) {
            Map<String, String> m = new HashMap<>(envPay.settings());
            int port = freePort();
            m.put("PORT", Integer.toString(port));
            m.put("API_DOMAIN", "http://127.0.0.1:" + port);
            m.put("JWT_SECRET", JWT_SECRET);
            m.put("CREDENTIALS_ENCRYPTION_KEY", ENCRYPTION_KEY);
            m.put("PROVIDER_CREDENTIALS_CACHE_TTL", "10m");
            server = TestServers.start(dir.resolve("server"), m);
            // after the start, which configures logging afresh (the log files cover the start)
            LogCapture logs = LogCapture.all();
            try {
                api = new Http(server.port());
                Caller admin = newUser();
                jdbc().update("UPDATE users SET role = 'admin' WHERE id = ?", admin.id());

                // the environment's merchant
                String first = purchased(newUser(), "monthly").get("orderId").asText();
                assertTrue(envPay.order(first).isPresent());

                assertEquals(
                        200,
                        putWeChatPay(admin, storedPay.endpoint(), credentials(storedKeys, storedKeys.apiV3Key()))
                                .status());
                Caller buyer = newUser();
                String second = purchased(buyer, "monthly").get("orderId").asText();
                assertTrue(storedPay.order(second).isPresent(), "placed with the stored merchant");
                assertFalse(envPay.order(second).isPresent());
                assertTrue(storedPay.rejections().isEmpty(), storedPay.rejections()::toString);
                // its notification verifies under the stored platform key and APIv3 key; the old merchant's no longer
                storedPay.pay(second);
                assertEquals(
                        List.of(204),
                        storedPay.notify(second).stream()
                                .map(FakeWeChatPay.Delivery::status)
                                .toList());
                assertTrue(status(buyer).get("isMember").asBoolean());
                envPay.pay(first);
                int old = envPay.notify(first).get(0).status();
                assertTrue(old >= 400 && old < 500, "a notification signed for the old merchant: " + old);

                // a stored credential that does not build: logged without a value, payments stay on the last merchant
                Map<String, String> broken = new LinkedHashMap<>();
                broken.put("privateKey", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----");
                broken.put("apiV3Key", BROKEN_API_V3_KEY);
                assertEquals(
                        200,
                        putWeChatPay(admin, storedPay.endpoint(), new ObjectMapper().writeValueAsString(broken))
                                .status());
                String third = purchased(newUser(), "monthly").get("orderId").asText();
                assertTrue(storedPay.order(third).isPresent(), "still the stored merchant that built");
                assertTrue(
                        logs.lines().stream()
                                .anyMatch(l -> l.startsWith("ERROR " + StoredMerchant.class.getName())
                                        && l.contains("stored field privateKey")
                                        && l.contains("payments stay on merchant " + WeChatPayKeys.MCHID)),
                        "the refusal is logged: " + logs.lines());
                // while the (embedded) database is open; the log files are written as the events happen
                NoSecrets.assertNone(
                        logs,
                        List.of(dir.resolve("server/logs")),
                        server.platform().database().jdbc(),
                        List.of(
                                envKeys.apiV3Key(),
                                storedKeys.apiV3Key(),
                                BROKEN_API_V3_KEY,
                                "bm90IGEga2V5",
                                pemBody(storedKeys.merchantKeyFile())));
            } finally {
                logs.close();
                server.stop();
            }
        }
    }

    private Http.Response putWeChatPay(Caller admin, String endpoint, String credentials) throws Exception {
        Map<String, String> body = Map.of("endpointUrl", endpoint, "credentials", credentials);
        return api.method(
                "PUT", "/api/admin/providers/wechatpay", new ObjectMapper().writeValueAsString(body), admin.auth());
    }

    /** The stored form of {@code keys}' merchant: one JSON object. */
    private static String credentials(WeChatPayKeys keys, String apiV3Key) throws Exception {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("mchid", WeChatPayKeys.MCHID);
        c.put("merchantSerial", keys.merchantSerial());
        c.put("privateKey", Files.readString(keys.merchantKeyFile()));
        c.put("apiV3Key", apiV3Key);
        c.put("platformSerial", keys.platformSerial());
        c.put("platformKey", Files.readString(keys.platformKeyFile()));
        return new ObjectMapper().writeValueAsString(c);
    }

    /** A line from the middle of a PEM file: what a leak of the key would contain. */
    private static String pemBody(Path pem) throws Exception {
        return Files.readAllLines(pem).get(3);
    }
}
