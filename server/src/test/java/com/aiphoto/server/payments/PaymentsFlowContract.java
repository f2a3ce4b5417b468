package com.aiphoto.server.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.Concurrently;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership and orders end to end on a real server, with WeChat Pay replaced by {@link InMemoryWeChatPay} and
 * notifications delivered straight to the settlement (the notify route and its checks are tested with the SDK
 * client). Run on MariaDB + Redis and on the embedded default.
 */
abstract class PaymentsFlowContract extends PaymentsFixture {
    @TempDir
    Path dir;

    InMemoryWeChatPay wechat;
    PaymentsModule module;

    /** DB_* and REDIS_* settings of the backend under test. */
    abstract Map<String, String> backend();

    Map<String, String> settings() {
        Map<String, String> m = new HashMap<>(backend());
        m.put("JWT_SECRET", JWT_SECRET);
        // the reconcile job runs often here; tests that want it to act age their orders past RECONCILE_AFTER
        m.put("SCHEDULER_POLL_INTERVAL", "100ms");
        m.put("SCHEDULER_HEARTBEAT", "1s");
        m.put("SCHEDULER_MISSED_HEARTBEATS", "4");
        m.put("RECONCILE_PERIOD", "200ms");
        return m;
    }

    @BeforeEach
    void start() {
        wechat = new InMemoryWeChatPay();
        server = TestServers.start(dir, settings(), (p, auth, credentials) -> {
            module = PaymentsModule.create(p, auth, Optional.of(wechat));
            return module;
        });
        api = new Http(server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void plansComeFromTheServerPerTheSpec() {
        Http.Response r = api.get("/api/membership/plans");
        assertEquals(200, r.status(), r.body());
        JsonNode plans = r.json().get("data");
        assertEquals(3, plans.size());
        assertEquals("monthly", plans.get(0).get("id").asText());
        assertEquals(9900, plans.get(0).get("amount").asLong());
        assertEquals(100, plans.get(0).get("quota").asInt());
        assertEquals(30, plans.get(0).get("durationDays").asInt());
        assertTrue(plans.get(0).hasNonNull("name"));
        assertEquals(24900, plans.get(1).get("amount").asLong());
        assertEquals(365, plans.get(2).get("durationDays").asInt());
    }

    @Test
    void purchaseThenPaymentGrantsMembershipAndQuotaOnce() {
        Caller c = newUser();
        JsonNode before = status(c);
        assertFalse(before.get("isMember").asBoolean());
        assertEquals(0, before.get("quotaRemaining").asInt());
        assertEquals(0, before.get("expireDays").asInt());

        // an amount from the client is ignored: the price is the plan's
        Http.Response r = purchase(c, "{\"planId\":\"monthly\",\"amount\":1}");
        assertEquals(200, r.status(), r.body());
        JsonNode placed = r.json().get("data");
        String orderId = placed.get("orderId").asText();
        assertTrue(orderId.matches("[0-9a-f]{32}"), orderId);
        assertEquals(9900, placed.get("amount").asLong());
        assertTrue(placed.get("codeUrl").asText().startsWith("weixin://"));
        assertEquals(9900, wechat.placed(orderId).amountCents(), "WeChat Pay was asked for the plan's price");
        Instant expiresAt = Instant.parse(placed.get("expiresAt").asText());
        assertTrue(Duration.between(Instant.now(), expiresAt).compareTo(Duration.ofMinutes(119)) > 0);
        assertEquals(expiresAt, wechat.placed(orderId).expiresAt());

        JsonNode pending = order(c, orderId);
        assertEquals("pending", pending.get("status").asText());
        assertEquals("monthly", pending.get("planId").asText());
        assertTrue(pending.get("paidAt").isNull());

        WeChatTransaction paid = wechat.pay(orderId);
        assertEquals(OrderSettlement.Outcome.GRANTED, module.settlement().settle(paid));
        // a duplicate notification changes nothing
        assertEquals(OrderSettlement.Outcome.ALREADY_PAID, module.settlement().settle(paid));

        JsonNode after = status(c);
        assertTrue(after.get("isMember").asBoolean());
        assertEquals(100, after.get("quotaRemaining").asInt());
        assertEquals(30, after.get("expireDays").asInt());
        Instant end = Instant.parse(after.get("memberExpiresAt").asText());
        assertTrue(Duration.between(Instant.now(), end)
                        .compareTo(Duration.ofDays(30).minusMinutes(1))
                > 0);
        JsonNode done = order(c, orderId);
        assertEquals("paid", done.get("status").asText());
        assertFalse(done.get("paidAt").isNull());
        assertEquals(1, grants(c.id()));

        // buying again while a member extends from the current end
        String second = purchased(c, "monthly").get("orderId").asText();
        assertNotEquals(orderId, second, "a paid order is not handed out again");
        module.settlement().settle(wechat.pay(second));
        JsonNode twice = status(c);
        assertEquals(200, twice.get("quotaRemaining").asInt());
        assertEquals(
                end.plus(Duration.ofDays(30)),
                Instant.parse(twice.get("memberExpiresAt").asText()));
        assertEquals(2, grants(c.id()));
    }

    @Test
    void anOpenOrderForThePlanIsReturnedInsteadOfASecond() throws Exception {
        Caller c = newUser();
        String first = purchased(c, "monthly").get("orderId").asText();
        assertEquals(first, purchased(c, "monthly").get("orderId").asText());
        // the old path is the same handler
        Http.Response old = api.post("/api/payment/wechat/create", "{\"planId\":\"monthly\"}", c.auth());
        assertEquals(200, old.status(), old.body());
        assertEquals(first, old.json().get("data").get("orderId").asText());
        assertNotEquals(first, purchased(c, "yearly").get("orderId").asText());
        assertEquals(2, orderCount(c.id()));

        // a double tap racing: still one open order per plan, the loser closed at WeChat Pay
        Caller d = newUser();
        int createdBefore = wechat.creates.get();
        List<String> ids = Concurrently.run(
                8, () -> purchased(d, "quarterly").get("orderId").asText());
        assertEquals(1, ids.stream().distinct().count(), ids.toString());
        assertEquals(1, orderCount(d.id()));
        assertEquals(
                wechat.creates.get() - createdBefore - 1, wechat.closes.get(), "every extra WeChat order was closed");
    }

    @Test
    void refusals() {
        Caller c = newUser();
        assertError(purchase(c, "{\"planId\":\"lifetime\"}"), 400, 3001);
        assertError(purchase(c, "{}"), 400, 4001);
        assertError(api.post("/api/membership/purchase", "{\"planId\":\"monthly\"}"), 401, 1001);

        String orderId = purchased(c, "monthly").get("orderId").asText();
        Caller other = newUser();
        assertError(api.get("/api/payment/order/" + orderId, other.auth()), 404, 3002);
        assertError(api.get("/api/payment/order/" + "0".repeat(32), c.auth()), 404, 3002);
        assertError(api.get("/api/payment/order/not-an-id", c.auth()), 404, 3002);
        assertError(purchase(other, "{\"orderId\":\"" + orderId + "\"}"), 404, 3002);

        // the open order can be fetched again by its owner; once paid it is not payable again
        assertEquals(
                orderId,
                purchase(c, "{\"orderId\":\"" + orderId + "\"}")
                        .json()
                        .get("data")
                        .get("orderId")
                        .asText());
        module.settlement().settle(wechat.pay(orderId));
        assertError(purchase(c, "{\"orderId\":\"" + orderId + "\"}"), 409, 3003);
        assertEquals(1, grants(c.id()));
        assertEquals(0, grants(other.id()));
    }

    @Test
    void weChatPayDownGives502AndLeavesNoOrder() {
        Caller c = newUser();
        wechat.createFails = true;
        Http.Response r = purchase(c, "{\"planId\":\"monthly\"}");
        assertError(r, 502, 3004);
        assertEquals(0, orderCount(c.id()));
        wechat.createFails = false;
        assertEquals(9900, purchased(c, "monthly").get("amount").asLong());
        assertEquals(1, orderCount(c.id()));
    }

    @Test
    void settlementRefusesWrongAmountsUnpaidAndUnknownOrders() {
        Caller c = newUser();
        String orderId = purchased(c, "monthly").get("orderId").asText();
        WeChatTransaction paid = wechat.pay(orderId);
        WeChatTransaction cheap = new WeChatTransaction(
                orderId, paid.transactionId(), "SUCCESS", 1, paid.mchid(), paid.appid(), paid.successTime());
        assertEquals(
                OrderSettlement.Outcome.AMOUNT_MISMATCH, module.settlement().settle(cheap));
        WeChatTransaction unpaid = new WeChatTransaction(orderId, null, "NOTPAY", 9900, null, null, null);
        assertEquals(OrderSettlement.Outcome.NOT_PAID, module.settlement().settle(unpaid));
        WeChatTransaction unknown = new WeChatTransaction(
                "f".repeat(32), paid.transactionId(), "SUCCESS", 9900, paid.mchid(), paid.appid(), paid.successTime());
        assertEquals(OrderSettlement.Outcome.UNKNOWN_ORDER, module.settlement().settle(unknown));
        assertEquals(0, grants(c.id()));
        assertEquals("pending", order(c, orderId).get("status").asText());
    }

    @Test
    void aLostNotificationIsGrantedByTheReconciler() throws Exception {
        Caller c = newUser();
        String orderId = purchased(c, "monthly").get("orderId").asText();
        wechat.pay(orderId); // the notification never arrives
        age(orderId, Duration.ofMinutes(6), false);
        assertTrue(
                Concurrently.within(Duration.ofSeconds(15), () -> grants(c.id()) == 1),
                "the scheduled reconcile job granted the order");
        assertEquals("paid", order(c, orderId).get("status").asText());
        assertEquals(100, status(c).get("quotaRemaining").asInt());
    }

    @Test
    void reconcileClosesExpiredOrdersThereAndHereAndLeavesYoungOnesAlone() throws Exception {
        Caller c = newUser();
        String expired = purchased(c, "monthly").get("orderId").asText();
        String young = purchased(c, "yearly").get("orderId").asText();
        String gone = purchased(c, "quarterly").get("orderId").asText();
        age(expired, Duration.ofHours(3), true);
        age(gone, Duration.ofHours(3), true);
        jdbc().update("UPDATE orders SET id = ? WHERE id = ?", "e".repeat(32), gone); // WeChat Pay knows no such order
        module.reconciler().orElseThrow().run();
        assertEquals("closed", order(c, expired).get("status").asText());
        assertEquals("CLOSED", wechat.tradeState(expired));
        assertEquals("closed", order(c, "e".repeat(32)).get("status").asText());
        assertEquals("pending", order(c, young).get("status").asText());
        assertEquals("NOTPAY", wechat.tradeState(young));
        assertError(purchase(c, "{\"orderId\":\"" + expired + "\"}"), 409, 3003);
        assertEquals(0, grants(c.id()));
    }

    @Test
    void providerErrorsEndTheRunAndChangeNothing() {
        Caller c = newUser();
        String orderId = purchased(c, "monthly").get("orderId").asText();
        wechat.pay(orderId);
        wechat.queryFails = true;
        age(orderId, Duration.ofMinutes(6), false);
        PaymentProviderException e = assertThrows(
                PaymentProviderException.class,
                () -> module.reconciler().orElseThrow().run());
        assertTrue(e.retryable());
        assertEquals("pending", order(c, orderId).get("status").asText());
        assertEquals(0, grants(c.id()));
        wechat.queryFails = false;
        // this run or the scheduled one (both settle through the same path) grants it, once
        assertTrue(assertDoesNotThrowRun().checked() <= 1);
        assertEquals(1, grants(c.id()));
    }

    private Reconciler.Result assertDoesNotThrowRun() {
        try {
            return module.reconciler().orElseThrow().run();
        } catch (PaymentProviderException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void twentyConcurrentNotificationsWhileTheReconcilerRunsGrantOnce() throws Exception {
        Caller c = newUser();
        String orderId = purchased(c, "monthly").get("orderId").asText();
        WeChatTransaction paid = wechat.pay(orderId);
        age(orderId, Duration.ofMinutes(6), false);
        AtomicInteger n = new AtomicInteger();
        List<Object> results = Concurrently.run(24, () -> {
            int i = n.getAndIncrement();
            // 20 deliveries of the notification and 4 reconcile runs (the scheduled one may join them)
            return i < 20
                    ? module.settlement().settle(paid)
                    : module.reconciler().orElseThrow().run();
        });
        long granted = results.stream()
                        .filter(r -> r == OrderSettlement.Outcome.GRANTED)
                        .count()
                + results.stream()
                        .filter(r -> r instanceof Reconciler.Result rr && rr.granted() == 1)
                        .count();
        // one of them granted (or the scheduled run did, and then none of these)
        assertTrue(granted <= 1, results.toString());
        assertEquals(
                20 - (granted == 1 && results.contains(OrderSettlement.Outcome.GRANTED) ? 1 : 0),
                results.stream()
                        .filter(r -> r == OrderSettlement.Outcome.ALREADY_PAID)
                        .count(),
                results.toString());
        assertEquals(1, grants(c.id()));
        assertEquals(100, status(c).get("quotaRemaining").asInt());
        assertEquals(1, ordersPaidBy(paid.transactionId()));
    }
}
