package com.aiphoto.server.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DataAccessException;
import com.aiphoto.server.platform.ClientIp;
import com.aiphoto.server.platform.Json;
import com.aiphoto.server.platform.Lifecycle;
import com.aiphoto.server.platform.RequestFilter;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.FakeWeChatPay;
import com.aiphoto.testing.FakeWeChatPay.Delivery;
import com.aiphoto.testing.FakeWeChatPay.Fault;
import com.aiphoto.testing.LogCapture;
import com.aiphoto.testing.WeChatPayKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threeten.extra.MutableClock;

/**
 * The notify endpoint against notifications the fake WeChat Pay sends (signed with the platform key, encrypted with
 * the APIv3 key): a genuine one is settled once and answered 204; every forgery or mismatch is answered 4xx in
 * WeChat's shape, never reaches the settlement, and is logged exactly once as a security event with the request id.
 */
class WeChatPayNotifyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    WeChatPayKeys keys;
    FakeWeChatPay fake;
    MutableClock clock;
    RecordingSettlement settlement;
    WebServer server;
    WeChatPay client;
    String notifyUrl;

    /** Records what it was asked to settle and answers the scripted outcome (GRANTED by default). */
    static final class RecordingSettlement implements OrderSettlement {
        final List<WeChatTransaction> settled = new CopyOnWriteArrayList<>();
        final Deque<Function<WeChatTransaction, Outcome>> script = new ArrayDeque<>();

        @Override
        public synchronized Outcome settle(WeChatTransaction transaction) {
            settled.add(transaction);
            Function<WeChatTransaction, Outcome> next = script.size() > 1 ? script.pop() : script.peek();
            return next == null ? Outcome.GRANTED : next.apply(transaction);
        }

        synchronized void then(Function<WeChatTransaction, Outcome> outcome) {
            script.add(outcome);
        }
    }

    @BeforeEach
    void start() {
        keys = WeChatPayKeys.generate(dir.resolve("keys"));
        fake = new FakeWeChatPay(keys);
        clock = MutableClock.of(Instant.now(), ZoneOffset.UTC);
        settlement = new RecordingSettlement();
        Map<String, String> s = new HashMap<>(fake.settings());
        WeChatPayNotifyService service = new WeChatPayNotifyService(
                Optional.of(WeChatPayNotifyService.Verifier.of(
                        WeChatPayConfig.from(Settings.of(s)).orElseThrow())),
                settlement,
                clock,
                new Json(1 << 20).mapper());
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(r -> r.addFilter(new RequestFilter(new ClientIp(List.of()), new Lifecycle()))
                        .register("/api/payment/wechat", service))
                .build()
                .start();
        // the server's port decides API_DOMAIN, hence the notify URL of each order the client places
        s.put("API_DOMAIN", "http://127.0.0.1:" + server.port());
        WeChatPayConfig config = WeChatPayConfig.from(Settings.of(s)).orElseThrow();
        client = new WeChatPayClient(config);
        notifyUrl = config.notifyUrl();
    }

    @AfterEach
    void stop() {
        server.stop();
        fake.close();
    }

    private String paidOrder(String id, long cents) throws Exception {
        client.createNative(
                new NativeOrder(id, "AI Photo monthly", cents, Instant.now().plus(2, ChronoUnit.HOURS)));
        fake.pay(id);
        return id;
    }

    @Test
    void aGenuineNotificationIsSettledOnceAndAnswered204() throws Exception {
        String id = paidOrder("ord_ok_1", 9900);
        try (LogCapture security = LogCapture.of("security")) {
            List<Delivery> d = fake.notify(id);
            assertEquals(1, d.size());
            assertEquals(204, d.get(0).status(), d.get(0).body());
            assertEquals("", d.get(0).body());
            assertEquals(List.of(), security.lines());
        }
        assertEquals(1, settlement.settled.size());
        WeChatTransaction tx = settlement.settled.get(0);
        FakeWeChatPay.Order o = fake.order(id).orElseThrow();
        assertEquals(id, tx.outTradeNo());
        assertEquals(o.transactionId(), tx.transactionId());
        assertEquals("SUCCESS", tx.tradeState());
        assertEquals(9900, tx.amountTotal());
        assertEquals(WeChatPayKeys.MCHID, tx.mchid());
        assertEquals(WeChatPayKeys.APPID, tx.appid());
        assertEquals(
                Instant.parse(java.time.OffsetDateTime.parse(o.successTime())
                        .toInstant()
                        .toString()),
                tx.successTime());
    }

    @Test
    void aDuplicateIsAnswered204AgainAndTheSettlementDecidesItIsAlreadyPaid() throws Exception {
        String id = paidOrder("ord_dup_1", 9900);
        settlement.then(tx -> OrderSettlement.Outcome.GRANTED);
        settlement.then(tx -> OrderSettlement.Outcome.ALREADY_PAID);
        List<Delivery> d = fake.notify(id, Fault.DUPLICATE);
        assertEquals(List.of(204, 204), d.stream().map(Delivery::status).toList());
        assertEquals(2, settlement.settled.size());
        assertEquals(settlement.settled.get(0), settlement.settled.get(1));
    }

    @Test
    void twentyConcurrentDeliveriesAreEachVerifiedAndSettled() throws Exception {
        // the SDK's parser is shared by all requests: concurrent verification and decryption must not interfere
        String id = paidOrder("ord_conc_1", 9900);
        FakeWeChatPay.Notification n = fake.notification(fake.transaction(id));
        try (LogCapture security = LogCapture.of("security")) {
            List<Integer> statuses =
                    Concurrently.run(20, () -> fake.send(notifyUrl, n).get(0).status());
            assertEquals(java.util.Collections.nCopies(20, 204), statuses);
            assertEquals(List.of(), security.lines());
        }
        assertEquals(20, settlement.settled.size());
        assertEquals(1, settlement.settled.stream().distinct().count());
    }

    @Test
    void aDroppedNotificationNeverArrives() throws Exception {
        String id = paidOrder("ord_drop_1", 9900);
        assertEquals(List.of(), fake.notify(id, Fault.DROP));
        assertEquals(List.of(), settlement.settled);
    }

    @Test
    void aDelayedNotificationArrivesLater() throws Exception {
        String id = paidOrder("ord_late_1", 9900);
        var later = fake.notifyLater(Duration.ofMillis(300), id);
        assertEquals(List.of(), settlement.settled);
        assertEquals(204, later.get().get(0).status());
        assertEquals(1, settlement.settled.size());
    }

    @Test
    void forgeriesAndProbesAreRefusedLoggedOnceAndNeverSettled() throws Exception {
        String id = paidOrder("ord_forged", 9900);
        rejected(fake.notification(fake.transaction(id), Fault.WRONG_KEY), 401, "bad_signature");
        rejected(fake.notification(fake.transaction(id), Fault.TAMPERED_BODY), 401, "bad_signature");
        rejected(fake.notification(fake.transaction(id), Fault.UNKNOWN_SERIAL), 401, "unknown_serial");
        rejected(fake.notification(fake.transaction(id), Fault.STALE_TIMESTAMP), 401, "stale_timestamp");
        rejected(fake.notification(fake.transaction(id), Fault.FUTURE_TIMESTAMP), 401, "future_timestamp");
        rejected(fake.notification(fake.transaction(id), Fault.SIGNTEST), 400, "signtest_probe");
        rejected(fake.notification(fake.transaction(id), Fault.UNDECRYPTABLE), 400, "undecryptable");
        rejected(fake.notification(fake.transaction(id), Fault.NOT_JSON), 400, "undecryptable");
        Map<String, Object> otherMerchant = fake.transaction(id);
        otherMerchant.put("mchid", "1900000999");
        rejected(fake.notification(otherMerchant), 400, "wrong_mchid");
        Map<String, Object> otherApp = fake.transaction(id);
        otherApp.put("appid", "wx0000000000000000");
        rejected(fake.notification(otherApp), 400, "wrong_appid");
        assertEquals(List.of(), settlement.settled);
    }

    @Test
    void theTimestampWindowFollowsTheInjectedClock() throws Exception {
        String id = paidOrder("ord_clock", 9900);
        clock.add(Duration.ofMinutes(6));
        rejected(fake.notification(fake.transaction(id)), 401, "stale_timestamp");
        clock.add(Duration.ofMinutes(-12));
        rejected(fake.notification(fake.transaction(id)), 401, "future_timestamp");
        clock.add(Duration.ofMinutes(10)); // 4 minutes ahead: inside the window
        assertEquals(204, fake.notify(id).get(0).status());
        assertEquals(1, settlement.settled.size());
    }

    @Test
    void missingHeadersAndOversizedBodiesAreRefused() throws Exception {
        String id = paidOrder("ord_headers", 9900);
        FakeWeChatPay.Notification n = fake.notification(fake.transaction(id));
        Map<String, String> noSignature = new HashMap<>(n.headers());
        noSignature.remove("Wechatpay-Signature");
        rejected(new FakeWeChatPay.Notification(noSignature, n.body()), 400, "missing_header");
        rejected(
                new FakeWeChatPay.Notification(n.headers(), new byte[WeChatPayNotifyService.MAX_BODY + 1]),
                413,
                "too_large");
        assertEquals(List.of(), settlement.settled);
    }

    @Test
    void settlementRefusalsAreSecurityEventsToo() throws Exception {
        String id = paidOrder("ord_refused", 9900);
        for (OrderSettlement.Outcome o : List.of(
                OrderSettlement.Outcome.UNKNOWN_ORDER,
                OrderSettlement.Outcome.AMOUNT_MISMATCH,
                OrderSettlement.Outcome.NOT_PAID)) {
            settlement.script.clear();
            settlement.then(tx -> o);
            rejected(
                    fake.notification(FakeWeChatPay.paidTransaction(id, 1)),
                    400,
                    o.name().toLowerCase(java.util.Locale.ROOT));
        }
        assertEquals(3, settlement.settled.size());
        assertEquals(1, settlement.settled.get(1).amountTotal());
    }

    @Test
    void ourOwnDatabaseFailureIs5xxSoWeChatRetries() throws Exception {
        String id = paidOrder("ord_db_down", 9900);
        settlement.then(tx -> {
            throw new DataAccessException("settle", new SQLException("Lock wait timeout exceeded"));
        });
        try (LogCapture security = LogCapture.of("security")) {
            Delivery d = fake.notify(id).get(0);
            assertEquals(503, d.status());
            assertEquals("FAIL", MAPPER.readTree(d.body()).get("code").asText());
            assertEquals(List.of(), security.lines(), "our failure is not the sender's fault");
        }
        settlement.script.clear();
        assertEquals(204, fake.notify(id).get(0).status(), "WeChat's retry succeeds");
    }

    @Test
    void notConfiguredRefusesEverything() throws Exception {
        WeChatPayNotifyService off =
                new WeChatPayNotifyService(Optional.empty(), settlement, Clock.systemUTC(), MAPPER);
        WebServer bare = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(r -> r.register("/api/payment/wechat", off))
                .build()
                .start();
        try {
            String id = paidOrder("ord_off", 9900);
            Delivery d = fake.send(
                            "http://127.0.0.1:" + bare.port() + "/api/payment/wechat/notify",
                            fake.notification(fake.transaction(id)))
                    .get(0);
            assertEquals(404, d.status());
            assertEquals("FAIL", MAPPER.readTree(d.body()).get("code").asText());
            assertEquals(List.of(), settlement.settled);
        } finally {
            bare.stop();
        }
    }

    /** Sends {@code n}; expects {@code status} with WeChat's FAIL body and one security line naming the reason. */
    private void rejected(FakeWeChatPay.Notification n, int status, String reason) throws Exception {
        try (LogCapture security = LogCapture.of("security");
                LogCapture all = LogCapture.all()) {
            List<Delivery> d = fake.send(notifyUrl, n);
            assertEquals(1, d.size());
            Delivery answer = d.get(0);
            assertEquals(status, answer.status(), reason + ": " + answer.body());
            JsonNode body = MAPPER.readTree(answer.body());
            assertEquals("FAIL", body.get("code").asText(), answer.body());
            assertTrue(body.hasNonNull("message"), answer.body());
            assertNotNull(answer.requestId());
            List<String> lines = security.lines();
            assertEquals(1, lines.size(), reason + ": " + lines);
            assertTrue(lines.get(0).contains("rejected: " + reason + " "), lines.get(0));
            assertTrue(lines.get(0).contains("requestId=" + answer.requestId()), lines.get(0));
            all.assertNoSecret(
                    List.of(keys.apiV3Key(), n.headers().getOrDefault("Wechatpay-Signature", keys.apiV3Key())));
        }
    }
}
