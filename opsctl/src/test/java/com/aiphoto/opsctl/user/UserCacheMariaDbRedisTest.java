package com.aiphoto.opsctl.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.auth.TestTokens;
import com.aiphoto.testing.ScratchBackend;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's user cache across two in-process servers on one scratch MariaDB: with Redis, a change made through
 * one instance or by opsctl is evicted on the other at once (the cache lifetime is set to a minute, so only the
 * signal can explain a fresh answer); without Redis the lifetime bounds how long the other instance is stale.
 */
class UserCacheMariaDbRedisTest {
    private static final String JWT_SECRET = "test-jwt-secret-0123456789-abcdefghij-XYZ";
    private static final String PHONE = "13800000016";
    /** Far below the one-minute lifetime: the pub/sub message is asynchronous, so the other side is polled. */
    private static final Duration SIGNAL_BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private ScratchBackend backend;
    private AiPhotoServer.Running a;
    private AiPhotoServer.Running b;

    @BeforeEach
    void backend() {
        backend = ScratchBackend.create("usercache");
    }

    @AfterEach
    void stop() {
        try {
            if (a != null) {
                a.stop();
            }
            if (b != null) {
                b.stop();
            }
        } finally {
            backend.close();
        }
    }

    private Map<String, String> settings(boolean redis, String ttl) {
        Map<String, String> m =
                new HashMap<>(redis ? backend.settings() : backend.database().settings());
        m.put("JWT_SECRET", JWT_SECRET);
        m.put("AUTH_USER_CACHE_TTL", ttl);
        return m;
    }

    private long startTwoAndAddUser(Map<String, String> settings) {
        a = TestServers.start(dir.resolve("a"), settings);
        b = TestServers.start(dir.resolve("b"), settings);
        Instant now = Instant.now();
        return jdbc(a).insert(
                        "INSERT INTO users (phone, role, quota_balance, created_at, updated_at) VALUES (?, 'user', 0, ?, ?)",
                        PHONE,
                        now,
                        now);
    }

    private static Jdbc jdbc(AiPhotoServer.Running server) {
        return server.platform().database().jdbc();
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static JsonNode me(AiPhotoServer.Running server, String token) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/auth/me"))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return new ObjectMapper().readTree(r.body()).get("data");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The first /me answer that passes {@code wanted}, polled until {@code bound}; the last one otherwise. */
    private static JsonNode meUntil(
            AiPhotoServer.Running server, String token, Predicate<JsonNode> wanted, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        JsonNode me = me(server, token);
        while (!wanted.test(me) && System.nanoTime() - deadline < 0) {
            me = me(server, token);
        }
        return me;
    }

    private static Predicate<JsonNode> quota(int n) {
        return me -> me.get("quotaRemaining").asInt() == n;
    }

    @Test
    void aChangeThroughOneInstanceOrOpsctlIsSeenByTheOtherAtOnce() {
        long id = startTwoAndAddUser(settings(true, "60s"));
        String token = TestTokens.issue(JWT_SECRET, id);
        assertEquals(0, me(a, token).get("quotaRemaining").asInt());
        assertEquals(0, me(b, token).get("quotaRemaining").asInt(), "both instances now hold the row");

        // the ledger as the server's payments, tasks and admin features build it, on instance a
        new QuotaLedger(jdbc(a), Clock.systemUTC(), a.platform().kv().accountChanges())
                .grant(id, 5, 30, "order:usercache");
        assertEquals(5, me(a, token).get("quotaRemaining").asInt(), "the writer's instance evicts synchronously");
        assertEquals(
                5,
                meUntil(b, token, quota(5), SIGNAL_BOUND).get("quotaRemaining").asInt(),
                "through Redis");

        Cli.Result quota = Cli.run(settings(true, "60s"), "user", "quota", PHONE, "--add", "3", "--reason", "t-16");
        assertEquals(ExitCode.OK, quota.code(), quota.all());
        assertEquals("", quota.err(), "published without a warning");
        assertEquals(
                8,
                meUntil(a, token, quota(8), SIGNAL_BOUND).get("quotaRemaining").asInt());
        assertEquals(
                8,
                meUntil(b, token, quota(8), SIGNAL_BOUND).get("quotaRemaining").asInt());

        Cli.Result promote = Cli.run(settings(true, "60s"), "user", "promote", PHONE, "--role", "admin");
        assertEquals(ExitCode.OK, promote.code(), promote.all());
        Predicate<JsonNode> admin = me -> me.get("role").asText().equals("admin");
        assertEquals(
                "admin", meUntil(b, token, admin, SIGNAL_BOUND).get("role").asText(), "a promotion counts at once");
    }

    @Test
    void withoutRedisTheOtherInstanceIsStaleAtMostTheCacheLifetime() {
        long id = startTwoAndAddUser(settings(false, "1s"));
        String token = TestTokens.issue(JWT_SECRET, id);
        assertEquals(0, me(b, token).get("quotaRemaining").asInt());

        Cli.Result quota = Cli.run(settings(false, "1s"), "user", "quota", PHONE, "--add", "4", "--reason", "t-16");
        assertEquals(ExitCode.OK, quota.code(), quota.all());
        long changed = System.nanoTime();
        JsonNode seen = meUntil(b, token, quota(4), Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - changed);
        assertEquals(4, seen.get("quotaRemaining").asInt());
        // the lifetime plus scheduling slack on a loaded machine; a cache without a lifetime would never get here
        assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "seen after " + took);
    }
}
