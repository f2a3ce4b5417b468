package com.aiphoto.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.db.Jdbc;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.auth.TestTokens;
import com.aiphoto.testing.Concurrently;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API on a real server (MariaDB and Redis, or the embedded default): who may call it (the role as the
 * database has it now), the audited quota and role changes with their concurrency guarantees, and the lists with
 * their filters and pages. A subclass starts the server with its backend ({@link #startServer}).
 */
abstract class AdminApiContract {
    static final String JWT_SECRET = "test-jwt-secret-0123456789-abcdefghij-XYZ";
    static final String ENCRYPTION_KEY = "q3Jm0d4cJ5r7xZbq1mVn8bR3kY6tW2eLh9sPa0fUu4c=";
    private static final AtomicInteger PHONES = new AtomicInteger();

    @TempDir
    static Path dir;

    static AiPhotoServer.Running server;
    static Http api;

    /** Starts the server with {@code backend}'s DB_* and REDIS_* settings (none: the embedded default). */
    static void startServer(Map<String, String> backend) {
        Map<String, String> m = new HashMap<>(backend);
        m.put("JWT_SECRET", JWT_SECRET);
        m.put("CREDENTIALS_ENCRYPTION_KEY", ENCRYPTION_KEY);
        m.put("ADMIN_TIME_ZONE", "UTC");
        server = TestServers.start(dir, m);
        api = new Http(server.port());
    }

    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void noAdmins() {
        demoteEveryone();
    }

    static Jdbc jdbc() {
        return server.platform().database().jdbc();
    }

    /** A raw bulk demotion, told to the user cache the way every product writer tells it once committed. */
    static void demoteEveryone() {
        jdbc().update("UPDATE users SET role = 'user'");
        server.platform().kv().accountChanges().changedEveryone();
    }

    record Caller(long id, String token) {
        String[] auth(String... more) {
            String[] h = new String[2 + more.length];
            h[0] = "Authorization";
            h[1] = "Bearer " + token;
            System.arraycopy(more, 0, h, 2, more.length);
            return h;
        }
    }

    static Caller newUser(String role) {
        Instant now = Instant.now();
        long id = jdbc().insert(
                        "INSERT INTO users (phone, role, quota_balance, created_at, updated_at) VALUES (?, ?, 0, ?, ?)",
                        "136"
                                + String.format(
                                        Locale.ROOT,
                                        "%08d",
                                        (System.nanoTime() / 1000 + PHONES.incrementAndGet()) % 100_000_000L),
                        role,
                        now,
                        now);
        // the token says "user" whatever the role: the server must read the role from the database
        return new Caller(id, TestTokens.issue(JWT_SECRET, id));
    }

    static void assertError(Http.Response r, int status, int code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().get("error").get("code").asInt(), r.body());
    }

    static int count(String sql, Object... params) {
        return jdbc().queryOne(sql, r -> r.getInt(1), params).orElseThrow();
    }

    /** The admin routes as registered: a route added later is covered without editing this test. */
    static List<String[]> adminRoutes() {
        List<String[]> routes = new ArrayList<>();
        for (String route : server.platform().routes().describe()) {
            String[] mp = route.split(" ", 2);
            if (mp[1].startsWith("/api/admin/")) {
                routes.add(mp);
            }
        }
        return routes;
    }

    @Test
    void aNormalUserIsRefusedOnEveryAdminRouteAndAnonymousCallersAreAsked() {
        Caller user = newUser("user");
        Caller admin = newUser("admin");
        List<String[]> routes = adminRoutes();
        Set<String> paths = new HashSet<>();
        routes.forEach(r -> paths.add(r[1]));
        assertTrue(paths.size() >= 10, "the admin table of api.md has 10 paths: " + paths);
        int auditBefore = count("SELECT COUNT(*) FROM audit_logs");
        for (String[] route : routes) {
            String method = route[0];
            String path = route[1].replace("{id}", Long.toString(admin.id())).replace("{ref}", "runninghub");
            String body = method.equals("POST") || method.equals("PUT")
                    ? "{\"delta\":5,\"reason\":\"x\",\"role\":\"user\",\"credentials\":\"stolen-credentials-1234\"}"
                    : null;
            Http.Response denied = api.method(method, path, body, user.auth());
            assertEquals(403, denied.status(), method + " " + path + ": " + denied.body());
            if (!method.equals("HEAD")) {
                assertEquals(4003, denied.json().get("error").get("code").asInt(), method + " " + path);
                assertError(api.method(method, path, body), 401, 1001);
            } else {
                assertEquals(401, api.method(method, path, null).status(), method + " " + path);
            }
        }
        assertEquals(auditBefore, count("SELECT COUNT(*) FROM audit_logs"), "nothing was written");
        assertEquals("admin", role(admin.id()), "the user did not demote the admin");
        assertEquals(0, count("SELECT COUNT(*) FROM provider_credentials WHERE provider_ref = 'runninghub'"));
    }

    static String role(long id) {
        return jdbc().queryOne("SELECT role FROM users WHERE id = ?", r -> r.getString(1), id)
                .orElseThrow();
    }

    @Test
    void aDemotedAdminLosesAccessOnTheNextRequest() {
        Caller a = newUser("admin");
        Caller b = newUser("admin");
        assertEquals(200, api.get("/api/admin/overview", a.auth()).status());
        Http.Response demoted = api.post("/api/admin/users/" + a.id() + "/role", "{\"role\":\"user\"}", b.auth());
        assertEquals(200, demoted.status(), demoted.body());
        // same token, next request
        assertError(api.get("/api/admin/overview", a.auth()), 403, 4003);
        assertEquals(200, api.get("/api/admin/overview", b.auth()).status());
        // and promoted again, access comes back at once
        assertEquals(
                200,
                api.post("/api/admin/users/" + a.id() + "/role", "{\"role\":\"admin\"}", b.auth())
                        .status());
        assertEquals(200, api.get("/api/admin/users", a.auth()).status());

        JsonNode logs = api.get("/api/admin/audit-logs?action=user.role.set&resourceId=" + a.id(), b.auth())
                .json()
                .get("data");
        assertEquals(2, logs.get("total").asInt(), logs.toString());
        JsonNode newest = logs.get("logs").get(0);
        assertEquals("admin:" + b.id(), newest.get("actor").asText());
        assertEquals(b.id(), newest.get("actorUserId").asLong());
        assertEquals("user", newest.get("details").get("from").asText());
        assertEquals("admin", newest.get("details").get("to").asText());
        assertEquals("127.0.0.1", newest.get("clientIp").asText());
    }

    @Test
    void theLastAdminCannotBeDemoted() {
        Caller only = newUser("admin");
        int audit = count("SELECT COUNT(*) FROM audit_logs");
        Http.Response r = api.post("/api/admin/users/" + only.id() + "/role", "{\"role\":\"user\"}", only.auth());
        assertError(r, 400, 4001);
        assertTrue(r.json().get("error").get("message").asText().contains("last admin"), r.body());
        assertEquals("admin", role(only.id()));
        assertEquals(audit, count("SELECT COUNT(*) FROM audit_logs"));
        // unknown role, unknown user, a no-op
        assertError(api.post("/api/admin/users/" + only.id() + "/role", "{\"role\":\"root\"}", only.auth()), 400, 4001);
        assertError(api.post("/api/admin/users/999999999/role", "{\"role\":\"user\"}", only.auth()), 404, 1004);
        assertError(api.post("/api/admin/users/abc/role", "{\"role\":\"user\"}", only.auth()), 400, 4001);
        assertEquals(
                200,
                api.post("/api/admin/users/" + only.id() + "/role", "{\"role\":\"admin\"}", only.auth())
                        .status());
        assertEquals(audit, count("SELECT COUNT(*) FROM audit_logs"), "no change, no audit row");
    }

    /** Two admins demoting each other at once: the admin rows are locked, so one demotion waits and is refused. */
    @Test
    void twoConcurrentDemotionsOfTheLastTwoAdminsLeaveOne() throws Exception {
        for (int round = 0; round < 5; round++) {
            demoteEveryone();
            Caller a = newUser("admin");
            Caller b = newUser("admin");
            AtomicInteger turn = new AtomicInteger();
            List<Integer> statuses = Concurrently.run(2, () -> {
                boolean first = turn.getAndIncrement() == 0;
                Caller actor = first ? a : b;
                Caller target = first ? b : a;
                return api.post("/api/admin/users/" + target.id() + "/role", "{\"role\":\"user\"}", actor.auth())
                        .status();
            });
            assertEquals(
                    1, count("SELECT COUNT(*) FROM users WHERE role = 'admin'"), "round " + round + ": " + statuses);
            // the loser is refused either by the last-admin rule (400) or, when the winner committed before its
            // request was authorised, as no longer an admin (403)
            assertEquals(200, statuses.stream().sorted().toList().get(0), "round " + round + ": " + statuses);
            assertTrue(
                    List.of(400, 403)
                            .contains(statuses.stream().sorted().toList().get(1)),
                    "round " + statuses);
        }
    }

    /** The rule itself, without the HTTP check in front: both demotions reach the locked admin rows. */
    @Test
    void concurrentDemotionsInTheDatabaseLeaveOneAdmin() throws Exception {
        AccountAdmin accounts = new AccountAdmin(
                jdbc(),
                new com.aiphoto.core.ledger.QuotaLedger(
                        jdbc(),
                        java.time.Clock.systemUTC(),
                        server.platform().kv().accountChanges()),
                new com.aiphoto.core.audit.AuditLog(
                        jdbc(), java.time.Clock.systemUTC(), com.aiphoto.core.config.Redactor.of(List.of())),
                server.platform().kv().accountChanges(),
                java.time.Clock.systemUTC());
        for (int round = 0; round < 5; round++) {
            demoteEveryone();
            List<Long> admins = List.of(newUser("admin").id(), newUser("admin").id());
            AtomicInteger turn = new AtomicInteger();
            List<Concurrently.Outcome<Long>> outcomes = Concurrently.attempt(2, () -> {
                long target = admins.get(turn.getAndIncrement());
                accounts.setRole(
                        new AccountAdmin.Actor(admins.get(0), "127.0.0.1", "test", "r" + target),
                        target,
                        com.aiphoto.core.account.Role.USER);
                return target;
            });
            assertEquals(1, outcomes.stream().filter(o -> !o.failed()).count(), "round " + round);
            Concurrently.Outcome<Long> refused = outcomes.stream()
                    .filter(Concurrently.Outcome::failed)
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    refused.error() instanceof com.aiphoto.server.platform.ApiException e
                            && e.getMessage().contains("last admin"),
                    String.valueOf(refused.error()));
            assertEquals(1, count("SELECT COUNT(*) FROM users WHERE role = 'admin'"));
        }
    }

    @Test
    void quotaAdjustmentGoesThroughTheLedgerWithAnAuditRow() {
        Caller admin = newUser("admin");
        Caller user = newUser("user");
        Http.Response added = api.post(
                "/api/admin/users/" + user.id() + "/quota",
                "{\"delta\":5,\"reason\":\"ticket 42\"}",
                admin.auth("User-Agent", "admin-console/1.0", "X-Request-Id", "req-quota-1"));
        assertEquals(200, added.status(), added.body());
        JsonNode data = added.json().get("data");
        assertEquals(5, data.get("quotaRemaining").asInt());
        assertEquals(5, data.get("delta").asInt());
        assertFalse(data.get("repeated").asBoolean());
        assertEquals(5, count("SELECT quota_balance FROM users WHERE id = ?", user.id()));
        assertEquals(
                1,
                count(
                        "SELECT COUNT(*) FROM quota_ledger WHERE user_id = ? AND reason = 'adjust' AND delta = 5"
                                + " AND note LIKE 'ticket 42 [admin:%'",
                        user.id()));
        Map<String, String> audit = jdbc().queryOne(
                        "SELECT actor, action, resource_id, details, client_ip, user_agent, request_id FROM audit_logs"
                                + " WHERE request_id = 'req-quota-1'",
                        r -> Map.of(
                                "actor", r.getString(1),
                                "action", r.getString(2),
                                "resource", r.getString(3),
                                "details", r.getString(4),
                                "ip", r.getString(5),
                                "agent", r.getString(6)))
                .orElseThrow();
        assertEquals("admin:" + admin.id(), audit.get("actor"));
        assertEquals("user.quota.adjust", audit.get("action"));
        assertEquals(Long.toString(user.id()), audit.get("resource"));
        assertEquals("127.0.0.1", audit.get("ip"));
        assertEquals("admin-console/1.0", audit.get("agent"));
        assertTrue(audit.get("details").contains("\"reason\":\"ticket 42\""), audit.get("details"));
        assertTrue(audit.get("details").contains("\"balanceAfter\":5"), audit.get("details"));

        // never below zero: refused, nothing written
        Http.Response tooMuch = api.post(
                "/api/admin/users/" + user.id() + "/quota", "{\"delta\":-6,\"reason\":\"oops\"}", admin.auth());
        assertError(tooMuch, 400, 4001);
        assertTrue(tooMuch.json().get("error").get("message").asText().contains("below zero"), tooMuch.body());
        assertEquals(5, count("SELECT quota_balance FROM users WHERE id = ?", user.id()));
        assertEquals(1, count("SELECT COUNT(*) FROM audit_logs WHERE resource_id = ?", Long.toString(user.id())));

        // bad requests
        String path = "/api/admin/users/" + user.id() + "/quota";
        assertError(api.post(path, "{\"delta\":1}", admin.auth()), 400, 4001);
        assertError(api.post(path, "{\"delta\":1,\"reason\":\"  \"}", admin.auth()), 400, 4001);
        assertError(api.post(path, "{\"delta\":0,\"reason\":\"x\"}", admin.auth()), 400, 4001);
        assertError(api.post(path, "{\"delta\":\"5\",\"reason\":\"x\"}", admin.auth()), 400, 4001);
        assertError(api.post(path, "{\"reason\":\"x\"}", admin.auth()), 400, 4001);
        assertError(api.post(path, "{\"delta\":2000000,\"reason\":\"x\"}", admin.auth()), 400, 4001);
        assertError(
                api.post("/api/admin/users/999999999/quota", "{\"delta\":1,\"reason\":\"x\"}", admin.auth()),
                404,
                1004);

        // a retried request with the same Idempotency-Key changes the quota once
        for (int i = 0; i < 2; i++) {
            Http.Response r =
                    api.post(path, "{\"delta\":3,\"reason\":\"retry\"}", admin.auth("Idempotency-Key", "k-1"));
            assertEquals(200, r.status(), r.body());
            assertEquals(8, r.json().get("data").get("quotaRemaining").asInt());
            assertEquals(i == 1, r.json().get("data").get("repeated").asBoolean());
        }
        assertEquals(8, count("SELECT quota_balance FROM users WHERE id = ?", user.id()));
        assertEquals(2, count("SELECT COUNT(*) FROM audit_logs WHERE resource_id = ?", Long.toString(user.id())));
    }

    /** 50 adjustments at once, half taking 2 and half adding 1, from a balance of 10. */
    @Test
    void fiftyConcurrentAdjustmentsNeverGoBelowZeroAndLedgerAndAuditMatch() throws Exception {
        Caller admin = newUser("admin");
        Caller user = newUser("user");
        String path = "/api/admin/users/" + user.id() + "/quota";
        assertEquals(
                200,
                api.post(path, "{\"delta\":10,\"reason\":\"start\"}", admin.auth())
                        .status());
        AtomicInteger n = new AtomicInteger();
        List<int[]> results = Concurrently.run(50, () -> {
            int delta = n.getAndIncrement() % 2 == 0 ? -2 : 1;
            Http.Response r = api.post(path, "{\"delta\":" + delta + ",\"reason\":\"load\"}", admin.auth());
            if (r.status() != 200) {
                assertError(r, 400, 4001);
            }
            return new int[] {delta, r.status()};
        });
        int applied = 0;
        int sum = 10;
        for (int[] r : results) {
            if (r[1] == 200) {
                applied++;
                sum += r[0];
            }
        }
        assertTrue(applied >= 25, "every +1 applies, so at least 25 of 50: " + applied);
        int balance = count("SELECT quota_balance FROM users WHERE id = ?", user.id());
        assertTrue(balance >= 0);
        assertEquals(sum, balance, "the balance is the start plus what was applied");
        assertEquals(balance, count("SELECT COALESCE(SUM(delta), 0) FROM quota_ledger WHERE user_id = ?", user.id()));
        assertEquals(applied + 1, count("SELECT COUNT(*) FROM quota_ledger WHERE user_id = ?", user.id()));
        assertEquals(
                applied + 1,
                count(
                        "SELECT COUNT(*) FROM audit_logs WHERE action = 'user.quota.adjust' AND resource_id = ?",
                        Long.toString(user.id())));
        assertEquals(0, count("SELECT COUNT(*) FROM quota_ledger WHERE user_id = ? AND balance_after < 0", user.id()));
    }

    @Test
    void listsFilterAndPageInAStableOrder() {
        Caller admin = newUser("admin");
        Caller owner = newUser("user");
        Instant now = Instant.now();
        for (int i = 0; i < 7; i++) {
            // the same created_at for all: the id breaks the tie, so pages neither repeat nor skip
            jdbc().update(
                            "INSERT INTO tasks (id, user_id, type, status, step, input_key, quota_cost, deadline_at,"
                                    + " created_at, updated_at) VALUES (?, ?, ?, ?, 'start', 'input/x.png', 1, ?, ?, ?)",
                            String.format(Locale.ROOT, "%032x", owner.id() * 100 + i),
                            owner.id(),
                            i % 2 == 0 ? "basic_clean" : "model_pose12",
                            i < 3 ? "failed" : "succeeded",
                            now,
                            now,
                            now);
        }
        JsonNode all = page("/api/admin/tasks?userId=" + owner.id() + "&limit=100", admin);
        assertEquals(7, all.get("total").asInt());
        List<String> ids = new ArrayList<>();
        for (int offset = 0; offset < 7; offset += 3) {
            JsonNode p = page("/api/admin/tasks?userId=" + owner.id() + "&limit=3&offset=" + offset, admin);
            assertEquals(7, p.get("total").asInt());
            assertEquals(3, p.get("limit").asInt());
            assertEquals(offset, p.get("offset").asInt());
            p.get("tasks").forEach(t -> ids.add(t.get("id").asText()));
        }
        List<String> expected = new ArrayList<>();
        all.get("tasks").forEach(t -> expected.add(t.get("id").asText()));
        assertEquals(expected, ids);
        assertEquals(7, new HashSet<>(ids).size());
        assertEquals(
                3,
                page("/api/admin/failed-tasks?userId=" + owner.id(), admin)
                        .get("total")
                        .asInt());
        assertEquals(
                2,
                page("/api/admin/failed-tasks?userId=" + owner.id() + "&type=basic_clean", admin)
                        .get("total")
                        .asInt());
        assertEquals(
                4,
                page("/api/admin/tasks?userId=" + owner.id() + "&status=succeeded", admin)
                        .get("total")
                        .asInt());

        jdbc().update(
                        "INSERT INTO orders (id, user_id, plan_id, amount_cents, quota, duration_days, status, expires_at,"
                                + " paid_at, created_at, updated_at) VALUES (?, ?, 'monthly', 9900, 100, 30, 'paid', ?, ?, ?, ?)",
                        String.format(Locale.ROOT, "%032x", owner.id()),
                        owner.id(),
                        now,
                        now,
                        now,
                        now);
        JsonNode orders = page("/api/admin/orders?userId=" + owner.id() + "&status=paid", admin);
        assertEquals(1, orders.get("total").asInt());
        assertEquals(9900, orders.get("orders").get(0).get("amount").asInt());
        assertEquals(
                0,
                page("/api/admin/orders?userId=" + owner.id() + "&status=closed", admin)
                        .get("total")
                        .asInt());

        String phone = jdbc().queryOne("SELECT phone FROM users WHERE id = ?", r -> r.getString(1), owner.id())
                .orElseThrow();
        JsonNode users = page("/api/admin/users?phone=" + phone, admin);
        assertEquals(1, users.get("total").asInt());
        assertEquals(owner.id(), users.get("users").get(0).get("id").asLong());
        assertEquals(
                phone.substring(0, 3) + "****" + phone.substring(7),
                users.get("users").get(0).get("phone").asText());
        assertEquals(
                0,
                page("/api/admin/users?isMember=true&phone=" + phone, admin)
                        .get("total")
                        .asInt());
        assertEquals(1, page("/api/admin/users?role=admin", admin).get("total").asInt());

        for (String bad : List.of(
                "/api/admin/users?limit=0",
                "/api/admin/users?limit=101",
                "/api/admin/users?limit=ten",
                "/api/admin/users?offset=-1",
                "/api/admin/users?isMember=yes",
                "/api/admin/users?phone=13a",
                "/api/admin/tasks?status=done",
                "/api/admin/tasks?type=other",
                "/api/admin/tasks?userId=0",
                "/api/admin/orders?status=x",
                "/api/admin/audit-logs?actorUserId=x")) {
            assertError(api.get(bad, admin.auth()), 400, 4001);
        }
    }

    @Test
    void theOverviewCountsWhatIsThere() {
        Caller admin = newUser("admin");
        JsonNode before = overview(admin);
        Caller member = newUser("user");
        Instant now = Instant.now();
        jdbc().update("UPDATE users SET member_expires_at = ? WHERE id = ?", now.plus(Duration.ofDays(3)), member.id());
        server.platform().kv().accountChanges().changed(member.id());
        jdbc().update(
                        "INSERT INTO orders (id, user_id, plan_id, amount_cents, quota, duration_days, status, expires_at,"
                                + " paid_at, created_at, updated_at) VALUES (?, ?, 'monthly', 24900, 300, 90, 'paid', ?, ?, ?, ?)",
                        String.format(Locale.ROOT, "%032x", member.id() + 1_000_000),
                        member.id(),
                        now,
                        now,
                        now,
                        now);
        jdbc().update(
                        "INSERT INTO tasks (id, user_id, type, status, step, input_key, quota_cost, deadline_at,"
                                + " created_at, updated_at) VALUES (?, ?, 'basic_clean', 'pending', 'start', 'k', 1, ?, ?, ?)",
                        String.format(Locale.ROOT, "%032x", member.id() + 2_000_000),
                        member.id(),
                        now,
                        now,
                        now);
        JsonNode after = overview(admin);
        assertEquals(1, diff(before, after, "users", "total"));
        assertEquals(1, diff(before, after, "users", "members"));
        assertEquals(1, diff(before, after, "users", "newToday"));
        assertEquals(1, diff(before, after, "orders", "paid"));
        assertEquals(24900, diff(before, after, "orders", "revenue"));
        assertEquals(1, diff(before, after, "orders", "today"));
        assertEquals(24900, diff(before, after, "orders", "revenueToday"));
        assertEquals(1, diff(before, after, "tasks", "today"));
        assertEquals(
                1,
                after.get("tasks").get("byStatus").get("pending").asInt()
                        - before.get("tasks").get("byStatus").get("pending").asInt());
    }

    private static JsonNode overview(Caller admin) {
        Http.Response r = api.get("/api/admin/overview", admin.auth());
        assertEquals(200, r.status(), r.body());
        return r.json().get("data");
    }

    private static long diff(JsonNode before, JsonNode after, String group, String field) {
        return after.get(group).get(field).asLong()
                - before.get(group).get(field).asLong();
    }

    static JsonNode page(String path, Caller admin) {
        Http.Response r = api.get(path, admin.auth());
        assertEquals(200, r.status(), r.body());
        return r.json().get("data");
    }

    @Test
    void auditLogsArePaged() {
        Caller admin = newUser("admin");
        Caller user = newUser("user");
        for (int i = 0; i < 3; i++) {
            api.post(
                    "/api/admin/users/" + user.id() + "/quota",
                    "{\"delta\":1,\"reason\":\"r" + i + "\"}",
                    admin.auth());
        }
        JsonNode first = page("/api/admin/audit-logs?resourceId=" + user.id() + "&limit=2", admin);
        assertEquals(3, first.get("total").asInt());
        assertEquals(2, first.get("logs").size());
        assertEquals("r2", first.get("logs").get(0).get("details").get("reason").asText(), "newest first");
        JsonNode second = page("/api/admin/audit-logs?resourceId=" + user.id() + "&limit=2&offset=2", admin);
        assertEquals(1, second.get("logs").size());
        assertEquals(
                "r0", second.get("logs").get(0).get("details").get("reason").asText());
    }
}
