package com.aiphoto.server.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.FakeWeChatPay;
import com.aiphoto.testing.FakeWeChatPay.Delivery;
import com.aiphoto.testing.FakeWeChatPay.Fault;
import com.aiphoto.testing.LogCapture;
import com.aiphoto.testing.WeChatPayKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notify endpoint as the real server routes it (ApiRouting, request ids, the configuration from settings). */
class PaymentsRoutingTest {
    @TempDir
    Path dir;

    @Test
    void theServerVerifiesNotificationsWithTheConfiguredKeys() {
        try (FakeWeChatPay fake = new FakeWeChatPay(WeChatPayKeys.generate(dir.resolve("keys")))) {
            AiPhotoServer.Running server = TestServers.start(dir, fake.settings());
            try (LogCapture security = LogCapture.of("security")) {
                String url = "http://127.0.0.1:" + server.port() + "/api/payment/wechat/notify";
                // genuine, but no order of ours has this id (no orders are wired in yet)
                Delivery genuine = fake.send(url, fake.notification(FakeWeChatPay.paidTransaction("ord_none", 9900)))
                        .get(0);
                assertEquals(400, genuine.status(), genuine.body());
                Delivery forged = fake.send(
                                url,
                                fake.notification(FakeWeChatPay.paidTransaction("ord_none", 9900), Fault.WRONG_KEY))
                        .get(0);
                assertEquals(401, forged.status(), forged.body());
                List<String> lines = security.lines();
                assertEquals(2, lines.size(), lines::toString);
                assertTrue(
                        lines.get(0).contains("unknown_order") && lines.get(0).contains(genuine.requestId()));
                assertTrue(
                        lines.get(1).contains("bad_signature") && lines.get(1).contains(forged.requestId()));
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void withoutWeChatPayTheRouteExistsAndRefuses() {
        AiPhotoServer.Running server = TestServers.start(dir, Map.of());
        try (FakeWeChatPay fake = new FakeWeChatPay(WeChatPayKeys.generate(dir.resolve("keys")))) {
            Delivery d = fake.send(
                            "http://127.0.0.1:" + server.port() + "/api/payment/wechat/notify",
                            fake.notification(FakeWeChatPay.paidTransaction("ord_none", 9900)))
                    .get(0);
            assertEquals(404, d.status(), d.body());
            assertTrue(d.body().contains("\"code\":\"FAIL\""), d.body());
        } finally {
            server.stop();
        }
    }
}
