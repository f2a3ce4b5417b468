package com.aiphoto.server.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.FakeServer.Reply;
import com.aiphoto.testing.FakeWeChatPay;
import com.aiphoto.testing.FakeWeChatPay.Delivery;
import com.aiphoto.testing.FakeWeChatPay.Fault;
import com.aiphoto.testing.LogCapture;
import com.aiphoto.testing.WeChatPayKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payment flows with nothing replaced: one real server per class with the production wiring (the official SDK
 * client, the notify route, the scheduled reconciler, the ledger), WeChat Pay played by {@link FakeWeChatPay} on
 * the wire, and the fake's notifications posted to the server's own {@code API_DOMAIN/api/payment/wechat/notify}.
 * The reconciler runs every 200 ms on orders pending for 2 s, so each test's orders are its own (a fresh user) and
 * "nothing granted" is asserted on orders the fake holds unpaid. Run on MariaDB + Redis and on the embedded default.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WeChatPayEndToEndContract extends PaymentsFixture {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NATIVE = "/v3/pay/transactions/native";

    FakeWeChatPay fake;
    PaymentsModule module;
    String domain;

    /** DB_* and REDIS_* settings of the backend under test. */
    abstract Map<String, String> backend();

    /** Releases what {@link #backend} made, after the server stopped. */
    void releaseBackend() {}

    @BeforeAll
    void start(@TempDir Path dir) {
        fake = new FakeWeChatPay(WeChatPayKeys.generate(dir.resolve("keys")));
        Map<String, String> m = new HashMap<>(backend());
        m.putAll(fake.settings());
        m.put("JWT_SECRET", JWT_SECRET);
        m.put("SCHEDULER_POLL_INTERVAL", "100ms");
        m.put("SCHEDULER_HEARTBEAT", "1s");
        m.put("SCHEDULER_MISSED_HEARTBEATS", "4");
        m.put("RECONCILE_PERIOD", "200ms");
        m.put("RECONCILE_AFTER", "2s");
        // the race test parks 24 settlements at one row lock, each holding a connection, beside the test's own
        m.put("DB_POOL_MAX", "32");
        // the notify URL is built from API_DOMAIN when the module is made, so the port is chosen before the start
        int port = freePort();
        domain = "http://127.0.0.1:" + port;
        m.put("PORT", Integer.toString(port));
        m.put("API_DOMAIN", domain);
        server = TestServers.start(dir.resolve("server"), m, (p, auth, credentials) -> {
            module = PaymentsModule.create(p, auth, credentials);
            return module;
        });
        api = new Http(server.port());
    }

    @AfterAll
    void stop() {
        try {
            if (server != null) {
                server.stop();
            }
            if (fake != null) {
                fake.close();
            }
        } finally {
            releaseBackend();
        }
    }

    String notifyUrl() {
        return domain + WeChatPayConfig.NOTIFY_PATH;
    }

    /** How often WeChat Pay was asked about {@code orderId} (the reconciler's queries). */
    long queries(String orderId) {
        return fake.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().endsWith("/out-trade-no/" + orderId))
                .count();
    }

    @Test
    void purchasePayNotifyGrantsMembershipAndQuotaOnce() throws Exception {
        Caller c = newUser();
        assertFalse(status(c).get("isMember").asBoolean());
        JsonNode placed = purchased(c, "monthly");
        String orderId = placed.get("orderId").asText();

        // the fake holds the Native order the SDK placed: our price, our expiry, our notify URL
        FakeWeChatPay.Order atWeChat = fake.order(orderId).orElseThrow();
        assertEquals(9900, atWeChat.total());
        assertEquals(WeChatPayKeys.MCHID, atWeChat.mchid());
        assertEquals(WeChatPayKeys.APPID, atWeChat.appid());
        assertEquals(notifyUrl(), atWeChat.notifyUrl());
        assertEquals(
                Instant.parse(placed.get("expiresAt").asText()).truncatedTo(ChronoUnit.SECONDS),
                OffsetDateTime.parse(atWeChat.timeExpire()).toInstant());
        assertEquals(atWeChat.codeUrl(), placed.get("codeUrl").asText());
        assertTrue(fake.rejections().isEmpty(), fake.rejections()::toString);

        // the buyer pays; WeChat Pay notifies twice (it does retry): both answered 204, one grant
        FakeWeChatPay.Order paid = fake.pay(orderId);
        List<Delivery> d = fake.notify(orderId, Fault.DUPLICATE);
        assertEquals(List.of(204, 204), d.stream().map(Delivery::status).toList(), d.toString());

        JsonNode s = status(c);
        assertTrue(s.get("isMember").asBoolean());
        assertEquals(100, s.get("quotaRemaining").asInt());
        assertEquals(30, s.get("expireDays").asInt());
        JsonNode o = order(c, orderId);
        assertEquals("paid", o.get("status").asText());
        assertFalse(o.get("paidAt").isNull());
        assertEquals(1, grants(c.id()));
        assertEquals(1, ledgerRows(c.id()));
        assertEquals(
                List.of(100, 100),
                jdbc().query(
                                "SELECT delta, balance_after FROM quota_ledger WHERE user_id = ?",
                                r -> List.of(r.getInt(1), r.getInt(2)),
                                c.id())
                        .get(0));
        assertEquals(100, balance(c.id()));
        assertEquals(
                paid.transactionId(),
                jdbc().queryOne("SELECT transaction_id FROM orders WHERE id = ?", r -> r.getString(1), orderId)
                        .orElseThrow());
        // paid is final: not payable again
        assertError(purchase(c, "{\"orderId\":\"" + orderId + "\"}"), 409, 3003);
    }

    @Test
    void anAmountInTheBodyDoesNotChangeThePriceAtWeChatPay() {
        Caller c = newUser();
        Http.Response r = purchase(c, "{\"planId\":\"quarterly\",\"amount\":1}");
        assertEquals(200, r.status(), r.body());
        String orderId = r.json().get("data").get("orderId").asText();
        assertEquals(24900, r.json().get("data").get("amount").asLong());
        assertEquals(24900, fake.order(orderId).orElseThrow().total());
        assertEquals(
                24900L,
                jdbc().queryOne("SELECT amount_cents FROM orders WHERE id = ?", x -> x.getLong(1), orderId)
                        .orElseThrow());
    }

    @Test
    void aLostNotificationIsGrantedByTheReconcilerAfterItsQuery() throws Exception {
        Caller c = newUser();
        String orderId = purchased(c, "monthly").get("orderId").asText();
        fake.pay(orderId);
        assertEquals(List.of(), fake.notify(orderId, Fault.DROP));
        assertTrue(
                Concurrently.within(Duration.ofSeconds(15), () -> grants(c.id()) == 1),
                "the scheduled reconcile job granted the order");
        assertTrue(queries(orderId) >= 1, "granted after asking WeChat Pay");
        assertEquals("paid", order(c, orderId).get("status").asText());
        assertEquals(100, status(c).get("quotaRemaining").asInt());
        // the late notification, should it come, grants nothing more
        assertEquals(204, fake.notify(orderId).get(0).status());
        assertEquals(1, ledgerRows(c.id()));
        assertEquals(100, balance(c.id()));
    }

    @Test
    void anExpiredOrderIsClosedAtWeChatPayAndHere() throws Exception {
        Caller c = newUser();
        String orderId = purchased(c, "monthly").get("orderId").asText();
        age(orderId, Duration.ofHours(3), true);
        assertTrue(
                Concurrently.within(
                        Duration.ofSeconds(15),
                        () -> order(c, orderId).get("status").asText().equals("closed")),
                "the reconcile job closed the expired order");
        assertEquals("CLOSED", fake.order(orderId).orElseThrow().tradeState());
        assertEquals(0, ledgerRows(c.id()));
    }

    @Test
    void twentyConcurrentDeliveriesWhileTheReconcilerQueriesGrantOnce() throws Exception {
        Caller c = newUser();
        String orderId = purchased(c, "monthly").get("orderId").asText();
        FakeWeChatPay.Order paid = fake.pay(orderId);
        age(orderId, Duration.ofMinutes(1), false); // due for the reconciler (ours below and the scheduled one)
        FakeWeChatPay.Notification n = fake.notification(fake.transaction(orderId));
        long queriedBefore = queries(orderId);
        // The test holds the order's row lock (well inside DB_LOCK_WAIT_TIMEOUT): four reconcile runs list the
        // order, query WeChat Pay and wait at the settlement's lock; then the 20 deliveries arrive and wait there
        // too. On release all of them (and the scheduled run, should it come) race for the one grant.
        Races races = jdbc().inTransaction(h -> {
            // our own SQL rather than Orders.lock: settlements that skipped their lock would still queue here
            assertEquals(
                    Optional.of("pending"),
                    h.queryOne("SELECT status FROM orders WHERE id = ? FOR UPDATE", r -> r.getString(1), orderId));
            CompletableFuture<List<Reconciler.Result>> reconciles =
                    async(4, () -> module.reconciler().orElseThrow().run());
            awaitQuiet(() -> queries(orderId) - queriedBefore >= 4, "the reconcilers queried the pending order");
            CompletableFuture<List<Integer>> deliveries =
                    async(20, () -> fake.send(notifyUrl(), n).get(0).status());
            sleepQuiet(300); // verified, decrypted, at the lock
            return new Races(reconciles, deliveries);
        });
        assertEquals(
                Collections.nCopies(20, 204),
                races.deliveries().get(60, TimeUnit.SECONDS),
                "every delivery answered 204 (one granted, the rest found it paid)");
        List<Reconciler.Result> runs = races.reconciles().get(60, TimeUnit.SECONDS);
        // each run checked this order; an order another test of the class left due may be checked too
        assertEquals(4, runs.size(), runs.toString());
        assertTrue(runs.stream().allMatch(r -> r.checked() >= 1), runs.toString());
        assertEquals(1, grants(c.id()));
        assertEquals(1, ledgerRows(c.id()));
        assertEquals(100, balance(c.id()));
        assertEquals(100, status(c).get("quotaRemaining").asInt());
        assertEquals(1, ordersPaidBy(paid.transactionId()));
    }

    private record Races(
            CompletableFuture<List<Reconciler.Result>> reconciles, CompletableFuture<List<Integer>> deliveries) {}

    /** {@code n} copies of {@code task} started together on other threads. */
    private static <T> CompletableFuture<List<T>> async(int n, Callable<T> task) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Concurrently.run(n, task);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private static void awaitQuiet(BooleanSupplier condition, String what) {
        try {
            assertTrue(Concurrently.within(Duration.ofSeconds(2), condition), what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleepQuiet(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void forgeriesAndMismatchesAreRefusedAndGrantNothing() throws Exception {
        Caller c = newUser();
        String orderId = purchased(c, "monthly").get("orderId").asText();
        // the order is NOT paid at WeChat Pay: every notification below claims a payment that did not happen
        Map<String, Object> claim = FakeWeChatPay.paidTransaction(orderId, 9900);
        for (Fault f : List.of(Fault.WRONG_KEY, Fault.TAMPERED_BODY, Fault.UNKNOWN_SERIAL)) {
            refused(fake.notification(claim, f), 401, "bad_signature|unknown_serial");
        }
        refused(fake.notification(claim, Fault.STALE_TIMESTAMP), 401, "stale_timestamp");
        refused(fake.notification(claim, Fault.FUTURE_TIMESTAMP), 401, "future_timestamp");
        refused(fake.notification(claim, Fault.SIGNTEST), 400, "signtest_probe");
        refused(fake.notification(claim, Fault.UNDECRYPTABLE), 400, "undecryptable");
        refused(fake.notification(claim, Fault.NOT_JSON), 400, "undecryptable");
        // correctly signed and encrypted, but not a payment of this order: the real settlement refuses
        refused(fake.notification(with(claim, "mchid", "1900000999")), 400, "wrong_mchid");
        refused(fake.notification(with(claim, "appid", "wx0000000000000000")), 400, "wrong_appid");
        refused(fake.notification(FakeWeChatPay.paidTransaction(orderId, 1)), 400, "amount_mismatch");
        refused(fake.notification(FakeWeChatPay.paidTransaction("f".repeat(32), 9900)), 400, "unknown_order");
        refused(fake.notification(fake.transaction(orderId)), 400, "not_paid"); // the fake's own NOTPAY resource

        assertEquals(0, ledgerRows(c.id()));
        assertEquals(0, balance(c.id()));
        assertFalse(status(c).get("isMember").asBoolean());
        JsonNode o = order(c, orderId);
        assertEquals("pending", o.get("status").asText());
        assertTrue(o.get("paidAt").isNull());
        assertEquals(
                0,
                jdbc().queryOne(
                                "SELECT COUNT(*) FROM orders WHERE id = ? AND transaction_id IS NOT NULL",
                                r -> r.getInt(1),
                                orderId)
                        .orElseThrow());
    }

    private static Map<String, Object> with(Map<String, Object> tx, String key, Object value) {
        Map<String, Object> m = new HashMap<>(tx);
        m.put(key, value);
        return m;
    }

    /** Sends {@code n}: {@code status} with WeChat's FAIL body, and one security line whose reason matches. */
    private void refused(FakeWeChatPay.Notification n, int status, String reasons) throws Exception {
        try (LogCapture security = LogCapture.of("security")) {
            List<Delivery> d = fake.send(notifyUrl(), n);
            assertEquals(1, d.size());
            assertEquals(status, d.get(0).status(), reasons + ": " + d.get(0).body());
            assertEquals(
                    "FAIL",
                    MAPPER.readTree(d.get(0).body()).get("code").asText(),
                    d.get(0).body());
            List<String> lines = security.lines();
            assertEquals(1, lines.size(), reasons + ": " + lines);
            assertTrue(
                    lines.get(0)
                            .matches("(?s).*rejected: (" + reasons + ") .*requestId="
                                    + d.get(0).requestId() + ".*"),
                    lines.get(0));
        }
    }

    @Test
    void weChatPayDownGives502AndLeavesNoOrder() {
        Caller c = newUser();
        fake.answer(NATIVE, Reply.json(503, "{\"code\":\"SYSTEM_ERROR\",\"message\":\"系统繁忙\"}"));
        try {
            assertError(purchase(c, "{\"planId\":\"monthly\"}"), 502, 3004);
            assertEquals(0, orderCount(c.id()));
        } finally {
            fake.forget(NATIVE);
        }
        String orderId = purchased(c, "monthly").get("orderId").asText();
        assertEquals(1, orderCount(c.id()));
        assertEquals(9900, fake.order(orderId).orElseThrow().total());
    }
}
