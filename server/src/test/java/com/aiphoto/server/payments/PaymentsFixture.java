package com.aiphoto.server.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.core.db.Jdbc;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.auth.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the payments tests do through the API and look up in the database: users with tokens, purchases, status and
 * order reads, ledger and order counts, all against the {@link #server} (and its {@link #api}) a subclass starts.
 */
abstract class PaymentsFixture {
    static final String JWT_SECRET = "test-jwt-secret-0123456789-abcdefghij-XYZ";
    private static final AtomicInteger PHONES = new AtomicInteger();

    AiPhotoServer.Running server;
    Http api;

    /** A port free at the moment: for a server whose API_DOMAIN (hence notify URL) must be known before it starts. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Http api() {
        return api;
    }

    Jdbc jdbc() {
        return server.platform().database().jdbc();
    }

    /** A new user and a token for them. */
    record Caller(long id, String token) {
        String[] auth() {
            return new String[] {"Authorization", "Bearer " + token};
        }
    }

    Caller newUser() {
        Instant now = Instant.now();
        long id = jdbc().insert(
                        "INSERT INTO users (phone, role, quota_balance, created_at, updated_at) VALUES (?, 'user', 0, ?, ?)",
                        "137"
                                + String.format(
                                        java.util.Locale.ROOT,
                                        "%08d",
                                        (System.nanoTime() / 1000 + PHONES.incrementAndGet()) % 100_000_000L),
                        now,
                        now);
        return new Caller(id, TestTokens.issue(JWT_SECRET, id));
    }

    Http.Response purchase(Caller c, String body) {
        return api().post("/api/membership/purchase", body, c.auth());
    }

    JsonNode purchased(Caller c, String planId) {
        Http.Response r = purchase(c, "{\"planId\":\"" + planId + "\"}");
        assertEquals(200, r.status(), r.body());
        return r.json().get("data");
    }

    JsonNode status(Caller c) {
        Http.Response r = api().get("/api/membership/status", c.auth());
        assertEquals(200, r.status(), r.body());
        return r.json().get("data");
    }

    JsonNode order(Caller c, String orderId) {
        Http.Response r = api().get("/api/payment/order/" + orderId, c.auth());
        assertEquals(200, r.status(), r.body());
        return r.json().get("data");
    }

    static void assertError(Http.Response r, int status, int code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().get("error").get("code").asInt(), r.body());
    }

    int grants(long userId) {
        return count("SELECT COUNT(*) FROM quota_ledger WHERE user_id = ? AND reason = 'grant'", userId);
    }

    /** Ledger rows of any reason. */
    int ledgerRows(long userId) {
        return count("SELECT COUNT(*) FROM quota_ledger WHERE user_id = ?", userId);
    }

    /** The balance column itself (the API's quotaRemaining is read from it, so both are checked). */
    int balance(long userId) {
        return jdbc().queryOne("SELECT quota_balance FROM users WHERE id = ?", r -> r.getInt(1), userId)
                .orElseThrow();
    }

    /** Orders settled by WeChat Pay's {@code transactionId} (the column is unique: at most one). */
    int ordersPaidBy(String transactionId) {
        return count("SELECT COUNT(*) FROM orders WHERE transaction_id = ?", transactionId);
    }

    int orderCount(long userId) {
        return count("SELECT COUNT(*) FROM orders WHERE user_id = ?", userId);
    }

    private int count(String sql, Object... params) {
        return jdbc().queryOne(sql, r -> r.getInt(1), params).orElseThrow();
    }

    /** Moves an order's creation (and expiry) into the past, so the reconciler considers it. */
    void age(String orderId, Duration by, boolean expire) {
        Instant created = Instant.now().minus(by);
        Instant expires = expire ? Instant.now().minusSeconds(1) : Instant.now().plus(Duration.ofHours(1));
        jdbc().update("UPDATE orders SET created_at = ?, expires_at = ? WHERE id = ?", created, expires, orderId);
    }
}
