package com.aiphoto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.server.auth.TestTokens;
import com.aiphoto.server.callbacks.CallbackSignature;
import com.aiphoto.server.platform.Logging;
import com.aiphoto.testing.FakeRunningHub;
import com.aiphoto.testing.FakeWeChatPay;
import com.aiphoto.testing.ScratchBackend;
import com.aiphoto.testing.WeChatPayKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fuzz run against every operation of the OpenAPI document ({@code META-INF/openapi.yaml}): valid requests built
 * from the documented schemas, then mutated (wrong types, missing and extra fields, nulls, huge strings, deep
 * nesting, invalid UTF-8, numbers out of range, hostile path and query parameters), with odd headers and methods,
 * some written straight to the socket (bad Content-Length, odd method tokens). A user's and an admin's tokens, a
 * real order, a real task and valid callback signatures let a good share of the requests past authentication on
 * every route. Whatever arrives: never a 5xx, every refusal the error envelope with a documented code for its
 * status, the server healthy and ready at the end and its heap after GC not grown.
 *
 * <p>Bounded: {@code fuzz.requests} requests (10,000) from {@code fuzz.seed}, request {@code i} generated from
 * {@code seed} and {@code i} alone, so {@code -Dfuzz.seed=S -Dfuzz.only=i} replays one failing request.
 */
class ApiFuzzTest {
    static final String JWT_SECRET = "fuzz-jwt-secret-0123456789-abcdefghij-XYZ";
    static final String CALLBACK_SECRET = "fuzz-internal-callback-secret-0123456789";
    static final String WEBHOOK_TOKEN = "fuzz-webhook-token-0123456789";
    static final String ENCRYPTION_KEY = "q3Jm0d4cJ5r7xZbq1mVn8bR3kY6tW2eLh9sPa0fUu4c=";
    private static final long HEAP_GROWTH_BOUND = 64L << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyRouteSurvivesRandomAndMutatedRequestsOnMariaDbAndRedis() throws Exception {
        try (ScratchBackend backend = ScratchBackend.create("fuzz")) {
            run(backend.settings(), Integer.getInteger("fuzz.requests", 10_000));
        }
    }

    @Test
    void everyRouteSurvivesRandomAndMutatedRequestsOnTheEmbeddedDefault() throws Exception {
        // H2 in MySQL mode and in-process limits: other SQL, other error paths
        run(Map.of(), Integer.getInteger("fuzz.requests", 10_000));
    }

    private void run(Map<String, String> backend, int requests) throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261203L);
        System.out.println("ApiFuzzTest seed " + seed + " (-Dfuzz.seed=" + seed + " replays this run)");
        FakeWeChatPay weChatPay = new FakeWeChatPay(WeChatPayKeys.generate(dir.resolve("wechatpay")));
        FakeRunningHub runningHub = new FakeRunningHub("rh-fuzz-key");
        AiPhotoServer.Running running = null;
        try {
            Map<String, String> m = new HashMap<>(backend);
            m.putAll(weChatPay.settings());
            m.putAll(runningHub.settings());
            m.put("JWT_SECRET", JWT_SECRET);
            m.put("INTERNAL_CALLBACK_SECRET", CALLBACK_SECRET);
            m.put("CREDENTIALS_ENCRYPTION_KEY", ENCRYPTION_KEY);
            m.put("BCRYPT_COST", "10");
            m.put("BCRYPT_MAX_WAIT", "10s");
            // limits are exercised elsewhere; here they would turn most requests into 429s
            m.put("AUTH_IP_PER_MINUTE", "1000000");
            m.put("SMS_HOURLY_BUDGET", "1000000");
            m.put("SMS_DAILY_BUDGET", "1000000");
            // no fixture routes: the run is against the public surface exactly
            Settings settings = TestServers.settings(dir.resolve("server"), m);
            Logging.configure(settings);
            running = AiPhotoServer.start(settings, null);
            FuzzTargets targets = FuzzTargets.create(running, weChatPay);
            List<FuzzRequests.Op> ops = FuzzRequests.operations(OpenApiContract.get());
            Set<String> fuzzed = new TreeSet<>();
            ops.forEach(o -> fuzzed.add(o.method() + " " + o.template()));
            assertEquals(
                    new TreeSet<>(running.platform().routes().describe()),
                    fuzzed,
                    "the fuzz covers exactly the registered routes");

            long heapBefore = heapAfterGc();
            Integer only = Integer.getInteger("fuzz.only");
            FuzzRun result = new FuzzRun(
                            running.port(),
                            new FuzzRequests(ops, targets, seed),
                            Duration.ofMinutes(Long.getLong("fuzz.minutes", 10)))
                    .run(requests, only);
            long heapAfter = heapAfterGc();
            System.out.println("ApiFuzzTest: " + result.summary());
            System.out.printf(
                    Locale.ROOT,
                    "ApiFuzzTest heap after GC: %d MB before, %d MB after%n",
                    heapBefore >> 20,
                    heapAfter >> 20);

            assertEquals(List.of(), result.failures(), "seed " + seed);
            assertEquals(
                    List.of(),
                    result.tooFewPastAuth(only == null ? 20 : 0),
                    "seed " + seed + ": routes mostly refused at auth");
            Http.Response health = Http.outsideContract(running.port()).get("/health");
            assertEquals(200, health.status(), "still alive: " + health.body());
            Http.Response ready = Http.outsideContract(running.adminPort()).get("/observe/health/ready");
            assertEquals(200, ready.status(), "still ready: " + ready.body());
            assertTrue(
                    heapAfter - heapBefore < HEAP_GROWTH_BOUND,
                    "heap after GC grew from " + (heapBefore >> 20) + " MB to " + (heapAfter >> 20) + " MB");
        } finally {
            try {
                if (running != null) {
                    running.stop();
                }
            } finally {
                weChatPay.close();
                runningHub.close();
            }
        }
    }

    /** The used heap after full collections (several: one may leave garbage a finaliser or reference freed). */
    private static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * What the requests aim at: a member with quota, an admin, a third account for the admin's writes, one of the member's real orders and tasks, and what
     * valid callbacks and notifications are signed with.
     */
    record FuzzTargets(
            long userId,
            String userToken,
            long adminId,
            String adminToken,
            long victimId,
            String orderId,
            String taskId,
            FakeWeChatPay weChatPay) {
        static FuzzTargets create(AiPhotoServer.Running running, FakeWeChatPay weChatPay) throws Exception {
            Jdbc jdbc = running.platform().database().jdbc();
            long user = insertUser(jdbc, "13700000001", "user");
            new QuotaLedger(jdbc, java.time.Clock.systemUTC(), com.aiphoto.core.account.AccountChanges.NONE)
                    .grant(user, 1_000_000, 30, "fuzz-grant-" + user);
            long admin = insertUser(jdbc, "13700000002", "admin");
            long victim = insertUser(jdbc, "13700000003", "user");
            String userToken = TestTokens.issue(JWT_SECRET, user);
            Http http = new Http(running.port());
            String[] auth = {"Authorization", "Bearer " + userToken};
            Http.Response order = http.post("/api/membership/purchase", "{\"planId\":\"monthly\"}", auth);
            assertEquals(200, order.status(), order.body());
            Http.Response grant = http.post(
                    "/api/media/upload-url",
                    "{\"fileName\":\"shirt.png\",\"contentType\":\"image/png\",\"size\":" + FuzzImages.PNG.length + "}",
                    auth);
            assertEquals(200, grant.status(), grant.body());
            FuzzImages.put(grant.json().get("data"), running.port());
            Http.Response task = http.post(
                    "/api/task/create",
                    "{\"type\":\"basic_clean\",\"inputKey\":\""
                            + grant.json().get("data").get("key").asText() + "\"}",
                    auth);
            assertEquals(200, task.status(), task.body());
            String taskId = task.json().get("data").get("taskId").asText();
            // as if the task had gone to RunningHub: its webhook URL then carries this token
            jdbc.update(
                    "UPDATE tasks SET webhook_token_hash = ? WHERE id = ?", Secrets.sha256Hex(WEBHOOK_TOKEN), taskId);
            return new FuzzTargets(
                    user,
                    userToken,
                    admin,
                    TestTokens.issue(JWT_SECRET, admin),
                    victim,
                    order.json().get("data").get("orderId").asText(),
                    taskId,
                    weChatPay);
        }

        private static long insertUser(Jdbc jdbc, String phone, String role) {
            Instant now = Instant.now();
            return jdbc.insert(
                    "INSERT INTO users (phone, role, quota_balance, created_at, updated_at) VALUES (?, ?, 0, ?, ?)",
                    phone,
                    role,
                    now,
                    now);
        }

        /** A worker's signature of {@code body} now. */
        String[] callbackHeaders(byte[] body) {
            String ts = Long.toString(Instant.now().getEpochSecond());
            return new String[] {
                "X-Timestamp",
                ts,
                "X-Internal-Signature",
                CallbackSignature.sign(CALLBACK_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), ts, body)
            };
        }

        /** A correctly signed WeChat Pay notification that the order was paid. */
        FakeWeChatPay.Notification paidNotification(long total) {
            return weChatPay.notification(FakeWeChatPay.paidTransaction(orderId, total));
        }
    }

    /** A small PNG and its upload through the signed URL the server handed out. */
    static final class FuzzImages {
        static final byte[] PNG = png();

        private FuzzImages() {}

        private static byte[] png() {
            java.awt.image.BufferedImage img =
                    new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
            img.setRGB(20, 15, 0xFF8800);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try {
                javax.imageio.ImageIO.write(img, "png", out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        /** The PUT to {@code grant.uploadUrl} (its host replaced by the test server's) with the granted headers. */
        static void put(JsonNode grant, int port) throws Exception {
            URI url = URI.create(grant.get("uploadUrl").asText());
            HttpRequest.Builder put = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + url.getRawPath() + "?" + url.getRawQuery()))
                    .timeout(timeout())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(PNG));
            grant.get("headers")
                    .properties()
                    .forEach(e -> put.header(e.getKey(), e.getValue().asText()));
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> res = client.send(put.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(2, res.statusCode() / 100, res.statusCode() + " " + res.body());
            }
        }
    }

    static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static Duration timeout() {
        return Duration.ofSeconds(30);
    }
}
