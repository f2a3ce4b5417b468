package com.aiphoto.server.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.storage.Storage;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.callbacks.StepCallbacks;
import com.aiphoto.server.media.MediaFiles;
import com.aiphoto.server.payments.PaymentsModule;
import com.aiphoto.server.tasks.TaskUsers.Caller;
import com.aiphoto.testing.Concurrently;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks end to end on a real server with a {@link ScriptedProvider}: creation (validation, ownership, one
 * transaction with the ledger and the scheduler, Idempotency-Key), list and get, and the engine on db-scheduler
 * (success, permanent and transient failures, a hung provider and the deadline, duplicate wake-ups, webhooks and
 * worker callbacks), each failure refunded exactly once. Run on MariaDB + Redis and on the embedded default.
 */
abstract class TaskFlowContract {
    static final String JWT_SECRET = "tasks-test-jwt-secret-0123456789-abcdefghij";
    static final byte[] PNG = png(Color.ORANGE);

    @TempDir
    Path dir;

    AiPhotoServer.Running server;
    Http api;
    TasksModule module;
    MediaFiles media;
    ScriptedProvider provider;
    final HttpClient raw = HttpClient.newHttpClient();

    /** DB_* and REDIS_* settings of the backend under test. */
    abstract Map<String, String> backend();

    Map<String, String> settings() {
        Map<String, String> m = new HashMap<>(backend());
        m.put("JWT_SECRET", JWT_SECRET);
        m.put("SCHEDULER_POLL_INTERVAL", "200ms");
        m.put("SCHEDULER_HEARTBEAT", "1s");
        m.put("SCHEDULER_MISSED_HEARTBEATS", "4");
        m.put("SCHEDULER_THREADS", "8");
        m.put("TASK_POLL_INTERVAL", "200ms");
        m.put("TASK_RETRY_BACKOFF", "100ms");
        m.put("TASK_RETRY_BACKOFF_MAX", "300ms");
        m.put("TASK_STEP_TIMEOUT", "1s");
        m.put("TASK_DEADLINE_BASIC_CLEAN", "60s");
        // the hang test runs model_pose12: its deadline is short here
        m.put("TASK_DEADLINE_MODEL_POSE12", "4s");
        // 200 creates at once queue on one user's row lock: give them time rather than 503s
        m.put("DB_CONNECT_TIMEOUT", "20s");
        m.put("DB_LOCK_WAIT_TIMEOUT", "20s");
        m.put("DB_QUERY_TIMEOUT", "20s");
        m.put("DB_SOCKET_TIMEOUT", "30s");
        return m;
    }

    @BeforeEach
    void start() {
        server = TestServers.start(dir, settings(), PaymentsModule::create, (p, auth, files, credentials) -> {
            media = files;
            provider = new ScriptedProvider(files.storage(), PNG);
            module = TasksModule.create(p, auth, files, type -> provider);
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

    // --- fixture ---

    Jdbc jdbc() {
        return server.platform().database().jdbc();
    }

    Caller member(int quota) {
        return TaskUsers.member(jdbc(), JWT_SECRET, quota);
    }

    Caller user() {
        return TaskUsers.user(jdbc(), JWT_SECRET);
    }

    static byte[] png(Color color) {
        BufferedImage img = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 32, 24);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An uploaded input of {@code c} (written to the storage as an upload would). */
    String input(Caller c) {
        String key = MediaFiles.inputPrefix(c.id()) + "20261202/" + Secrets.randomHex(16) + ".png";
        storage().put(key, PNG, "image/png");
        return key;
    }

    Storage storage() {
        return media.storage();
    }

    static String body(String type, String inputKey, String scene) {
        return "{\"type\":\"" + type + "\",\"inputKey\":\"" + inputKey + "\",\"params\":{\"scene\":\"" + scene
                + "\",\"category\":\"dress\"}}";
    }

    Http.Response create(Caller c, String body, String... extraHeaders) {
        return api.post("/api/task/create", body, extraHeaders.length == 0 ? c.auth() : extraHeaders);
    }

    String created(Caller c, String type, String scene) {
        Http.Response r = create(c, body(type, input(c), scene));
        assertEquals(200, r.status(), r.body());
        return r.json().get("data").get("taskId").asText();
    }

    JsonNode task(Caller c, String id) {
        Http.Response r = api.get("/api/task/" + id, c.auth());
        assertEquals(200, r.status(), r.body());
        return r.json().get("data");
    }

    JsonNode awaitFinished(Caller c, String id, Duration limit) throws InterruptedException {
        assertTrue(
                Concurrently.within(limit, () -> {
                    String s = task(c, id).get("status").asText();
                    return s.equals("succeeded") || s.equals("failed");
                }),
                "task " + id + " did not finish within " + limit + ": " + task(c, id));
        return task(c, id);
    }

    static void assertError(Http.Response r, int status, int code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().get("error").get("code").asInt(), r.body());
    }

    int count(String sql, Object... params) {
        return jdbc().queryOne(sql, r -> r.getInt(1), params).orElseThrow();
    }

    int ledger(long userId, String reason) {
        return count("SELECT COUNT(*) FROM quota_ledger WHERE user_id = ? AND reason = ?", userId, reason);
    }

    int refunds(String taskId) {
        return count("SELECT COUNT(*) FROM quota_ledger WHERE reason = 'refund' AND ref = ?", taskId);
    }

    int balance(long userId) {
        return count("SELECT quota_balance FROM users WHERE id = ?", userId);
    }

    int ledgerSum(long userId) {
        return count("SELECT COALESCE(SUM(delta), 0) FROM quota_ledger WHERE user_id = ?", userId);
    }

    int executions(String taskId) {
        return count(
                "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?",
                TaskEngine.TASK_NAME,
                taskId);
    }

    HttpResponse<byte[]> fetch(String url) throws Exception {
        URI u = URI.create(url);
        URI local = URI.create("http://127.0.0.1:" + server.port() + u.getRawPath() + "?" + u.getRawQuery());
        return raw.send(HttpRequest.newBuilder(local).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    // --- the flow ---

    @Test
    void aTaskRunsToSucceededWithFetchableResultsAndOneCharge() throws Exception {
        Caller c = member(3);
        String key = input(c);
        Http.Response r = create(c, body("basic_clean", key, "succeed"));
        assertEquals(200, r.status(), r.body());
        JsonNode data = r.json().get("data");
        String id = data.get("taskId").asText();
        assertEquals("basic_clean", data.get("type").asText());
        assertEquals("pending", data.get("status").asText());
        assertEquals(1, data.get("quotaCost").asInt());
        assertEquals(2, balance(c.id()));

        JsonNode done = awaitFinished(c, id, Duration.ofSeconds(20));
        assertEquals("succeeded", done.get("status").asText(), done.toString());
        assertTrue(done.get("errorMessage").isNull());
        assertFalse(done.get("completedAt").isNull());
        assertEquals("succeed", done.get("params").get("scene").asText());
        assertEquals("dress", done.get("params").get("category").asText());
        assertEquals(1, done.get("resultUrls").size());
        HttpResponse<byte[]> result = fetch(done.get("resultUrls").get(0).asText());
        assertEquals(200, result.statusCode());
        assertArrayEquals(PNG, result.body());
        HttpResponse<byte[]> in = fetch(done.get("inputUrl").asText());
        assertEquals(200, in.statusCode());
        assertArrayEquals(PNG, in.body());
        assertEquals(
                Optional.of(PNG.length),
                storage().get("output/" + id + "/result.png").map(b -> b.length));

        assertEquals(1, ScriptedProvider.count(provider.submits, id));
        assertEquals(1, ScriptedProvider.count(provider.fetches, id));
        assertEquals(2, balance(c.id()));
        assertEquals(1, ledger(c.id(), "deduct"));
        assertEquals(0, refunds(id));
        assertTrue(Concurrently.within(Duration.ofSeconds(5), () -> executions(id) == 0), "the execution is removed");

        // a late wake-up of a finished task does nothing
        assertEquals(Optional.empty(), module.engine().run(id));
        assertEquals(1, ScriptedProvider.count(provider.fetches, id));

        Http.Response list = api.get("/api/task/list", c.auth());
        assertEquals(200, list.status(), list.body());
        assertEquals(1, list.json().get("data").get("total").asInt());
        assertEquals(id, list.json().get("data").get("tasks").get(0).get("id").asText());
    }

    @Test
    void aPermanentFailureFailsTheTaskAndRefundsOnce() throws Exception {
        Caller c = member(2);
        String atSubmit = created(c, "basic_clean", "fail-submit");
        String atPoll = created(c, "basic_clean", "fail-poll");
        assertEquals(2, ledger(c.id(), "deduct"));
        for (String id : List.of(atSubmit, atPoll)) {
            JsonNode t = awaitFinished(c, id, Duration.ofSeconds(20));
            assertEquals("failed", t.get("status").asText());
            assertTrue(t.get("errorMessage").asText().contains("scripted"), t.toString());
            assertEquals(0, t.get("resultUrls").size());
            assertEquals(1, refunds(id));
            assertEquals(1, ScriptedProvider.count(provider.submits, id), "never resubmitted");
        }
        assertEquals(2, balance(c.id()));
        // duplicate wake-ups and a second failure report change nothing
        Task t = module.store().byId(atPoll).orElseThrow();
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), module.engine().run(atPoll));
        }
        assertFalse(module.engine().fail(t, null, "again"));
        assertEquals(1, refunds(atPoll));
        assertEquals(2, balance(c.id()));
        assertEquals(ledgerSum(c.id()), balance(c.id()));
    }

    @Test
    void transientFailuresBackOffAndTheTaskStillSucceeds() throws Exception {
        Caller c = member(1);
        String id = created(c, "basic_clean", "transient:3");
        JsonNode t = awaitFinished(c, id, Duration.ofSeconds(20));
        assertEquals("succeeded", t.get("status").asText(), t.toString());
        assertEquals(4, ScriptedProvider.count(provider.polls, id));
        assertEquals(1, ScriptedProvider.count(provider.submits, id));
        assertEquals(0, refunds(id));
        assertEquals(0, balance(c.id()));
    }

    @Test
    void tooManyTransientFailuresFailTheTaskOnceRefunded() throws Exception {
        Caller c = member(1);
        String id = created(c, "basic_clean", "transient:1000");
        JsonNode t = awaitFinished(c, id, Duration.ofSeconds(20));
        assertEquals("failed", t.get("status").asText());
        assertTrue(t.get("errorMessage").asText().startsWith("gave up after 8 attempts"), t.toString());
        assertEquals(8, ScriptedProvider.count(provider.polls, id));
        assertEquals(1, refunds(id));
        assertEquals(1, balance(c.id()));
    }

    @Test
    void aHungProviderIsCutOffAndTheDeadlineFailsTheTaskWithOneRefund() throws Exception {
        Caller c = member(1);
        String id = created(c, "model_pose12", "hang");
        JsonNode t = awaitFinished(c, id, Duration.ofSeconds(20));
        assertEquals("failed", t.get("status").asText());
        assertTrue(t.get("errorMessage").asText().startsWith("timed out"), t.toString());
        assertTrue(ScriptedProvider.count(provider.polls, id) >= 1);
        assertEquals(1, refunds(id));
        assertEquals(1, balance(c.id()));
        assertEquals(ledgerSum(c.id()), balance(c.id()));
        assertTrue(Concurrently.within(Duration.ofSeconds(5), () -> executions(id) == 0));
    }

    @Test
    void duplicateWakeUpsSubmitOnceAndFinishOnce() throws Exception {
        Caller c = member(1);
        String id = created(c, "basic_clean", "slow-wait");
        // the scheduler and ten extra runs race on the same task, while the vendor takes its time with the submit
        Concurrently.run(10, () -> module.engine().run(id));
        assertTrue(Concurrently.within(Duration.ofSeconds(10), () -> ScriptedProvider.count(provider.polls, id) > 0));
        provider.finish(id);
        Concurrently.run(10, () -> module.engine().run(id));
        JsonNode t = awaitFinished(c, id, Duration.ofSeconds(20));
        assertEquals("succeeded", t.get("status").asText());
        assertEquals(1, ScriptedProvider.count(provider.submits, id), "submitted exactly once");
        assertEquals(1, t.get("resultUrls").size());
        assertEquals(1, ledger(c.id(), "deduct"));
        assertEquals(0, refunds(id));
    }

    @Test
    void aSubmitClaimedByARunThatDiedIsRetakenOnlyOnceTheClaimIsStale() throws Exception {
        Caller c = member(1);
        String id = created(c, "basic_clean", "wait");
        assertTrue(Concurrently.within(Duration.ofSeconds(10), () -> ScriptedProvider.count(provider.polls, id) > 0));
        // as a run leaves it that claimed the submit and died before the vendor answered
        String claimed = "UPDATE tasks SET step = 'submit', vendor_task_id = NULL, webhook_token_hash = 'dead-run', "
                + "updated_at = ? WHERE id = ?";
        jdbc().update(claimed, Instant.now(), id);
        Concurrently.run(5, () -> module.engine().run(id));
        Thread.sleep(1000); // the scheduler's own runs too: a fresh claim is another run's call in flight
        assertEquals(1, ScriptedProvider.count(provider.submits, id), "a live claim is not submitted again");
        // older than the step timeout: that run's call is over, its step is taken over, once
        jdbc().update(claimed, Instant.now().minus(Duration.ofMinutes(5)), id);
        Concurrently.run(5, () -> module.engine().run(id));
        assertTrue(
                Concurrently.within(Duration.ofSeconds(10), () -> ScriptedProvider.count(provider.submits, id) == 2));
        provider.finish(id);
        JsonNode t = awaitFinished(c, id, Duration.ofSeconds(20));
        assertEquals("succeeded", t.get("status").asText());
        assertEquals(2, ScriptedProvider.count(provider.submits, id));
        assertEquals(1, ledger(c.id(), "deduct"));
        assertEquals(0, refunds(id));
    }

    @Test
    void webhooksNeedTheTasksTokenAndOnlyWakeThePoll() throws Exception {
        Caller c = member(1);
        String id = created(c, "basic_clean", "wait");
        assertTrue(Concurrently.within(Duration.ofSeconds(10), () -> provider.webhooks.containsKey(id)));
        URI hook = provider.webhooks.get(id);
        assertEquals("/api/callbacks/runninghub/" + id, hook.getPath());
        String token =
                java.net.URLDecoder.decode(hook.getRawQuery().substring("token=".length()), StandardCharsets.UTF_8);
        assertFalse(module.engine().hint(id, "wrong"));
        assertFalse(module.engine().hint(id, token + "x"));
        assertFalse(module.engine().hint("0".repeat(32), token));
        assertFalse(module.engine().hint("../" + id, token));
        // the webhook body is not trusted: the work is not done yet, so the task stays processing
        assertTrue(Concurrently.run(10, () -> module.engine().hint(id, token)).stream()
                .allMatch(b -> b));
        Thread.sleep(500);
        assertEquals("processing", task(c, id).get("status").asText());
        provider.finish(id);
        assertTrue(module.engine().hint(id, token));
        JsonNode t = awaitFinished(c, id, Duration.ofSeconds(20));
        assertEquals("succeeded", t.get("status").asText());
        assertEquals(1, ScriptedProvider.count(provider.fetches, id));
        assertTrue(module.engine().hint(id, token), "a late webhook is accepted and does nothing");
        assertEquals(1, ScriptedProvider.count(provider.fetches, id));
    }

    @Test
    void workerCallbacksApplyOnceForTheCurrentStepOnly() throws Exception {
        Caller c = member(2);
        String id = created(c, "basic_clean", "wait");
        assertTrue(Concurrently.within(Duration.ofSeconds(10), () -> ScriptedProvider.count(provider.polls, id) > 0));
        int step = provider.pollSteps.get(id);
        JsonNode output = JsonNodeFactory.instance.arrayNode().add("result.png");
        StepCallbacks callbacks = module.engine();
        assertEquals(StepCallbacks.Result.NOT_FOUND, callbacks.stepFinished("f".repeat(32), step, true, output, null));
        assertEquals(StepCallbacks.Result.NOT_FOUND, callbacks.stepFinished(id, step + 5, true, output, null));
        List<StepCallbacks.Result> results =
                Concurrently.run(10, () -> callbacks.stepFinished(id, step, true, output, null));
        assertEquals(
                1, results.stream().filter(StepCallbacks.Result.APPLIED::equals).count(), results.toString());
        assertEquals(
                9,
                results.stream()
                        .filter(StepCallbacks.Result.ALREADY_FINISHED::equals)
                        .count(),
                results.toString());
        JsonNode t = awaitFinished(c, id, Duration.ofSeconds(20));
        assertEquals("succeeded", t.get("status").asText());
        assertEquals(1, ScriptedProvider.count(provider.fetches, id));
        assertEquals(StepCallbacks.Result.ALREADY_FINISHED, callbacks.stepFinished(id, step, false, null, "late"));
        assertEquals("succeeded", task(c, id).get("status").asText());

        // a failed step fails the task and refunds it, once
        String other = created(c, "basic_clean", "wait");
        assertTrue(Concurrently.within(
                Duration.ofSeconds(10),
                () -> provider.pollSteps.containsKey(other) && ScriptedProvider.count(provider.polls, other) > 0));
        int s2 = provider.pollSteps.get(other);
        List<StepCallbacks.Result> failed =
                Concurrently.run(5, () -> callbacks.stepFinished(other, s2, false, null, "worker: out of memory"));
        assertEquals(
                1, failed.stream().filter(StepCallbacks.Result.APPLIED::equals).count(), failed.toString());
        JsonNode f = task(c, other);
        assertEquals("failed", f.get("status").asText());
        assertEquals("worker: out of memory", f.get("errorMessage").asText());
        assertEquals(1, refunds(other));
        assertEquals(1, balance(c.id()));
    }

    // --- creation ---

    @Test
    void twoHundredConcurrentCreatesOnFiftyQuotaMakeExactlyFifty() throws Exception {
        Caller c = member(50);
        String key = input(c);
        // basic_clean (deadline 60s here): model_pose12's 4s deadline could pass during a slow burst, and its
        // refunds would let more than 50 through
        List<Http.Response> responses = Concurrently.run(200, () -> create(c, body("basic_clean", key, "wait")));
        long ok = responses.stream().filter(r -> r.status() == 200).count();
        long refused = responses.stream()
                .filter(r ->
                        r.status() == 403 && r.json().get("error").get("code").asInt() == 1003)
                .count();
        assertEquals(50, ok, "created");
        assertEquals(150, refused, "refused for quota");
        assertEquals(50, count("SELECT COUNT(*) FROM tasks WHERE user_id = ?", c.id()));
        assertEquals(
                50,
                responses.stream()
                        .filter(r -> r.status() == 200)
                        .map(r -> r.json().get("data").get("taskId").asText())
                        .distinct()
                        .count());
        assertEquals(0, balance(c.id()));
        assertEquals(50, ledger(c.id(), "deduct"));
        assertEquals(ledgerSum(c.id()), balance(c.id()), "the ledger sums to the balance");
        assertEquals(
                50,
                count(
                        "SELECT COUNT(*) FROM scheduled_tasks s JOIN tasks t ON t.id = s.task_instance "
                                + "WHERE s.task_name = ? AND t.user_id = ?",
                        TaskEngine.TASK_NAME,
                        c.id()),
                "each task has its execution");
    }

    @Test
    void theSameIdempotencyKeyTwentyTimesAtOnceIsOneTaskAndOneCharge() throws Exception {
        Caller c = member(5);
        String key = input(c);
        String body = body("basic_clean", key, "wait");
        String idem = "order-" + Secrets.randomHex(8);
        List<Http.Response> responses = Concurrently.run(20, () -> create(c, body, c.auth(idem)));
        for (Http.Response r : responses) {
            assertEquals(200, r.status(), r.body());
        }
        List<String> ids = responses.stream()
                .map(r -> r.json().get("data").get("taskId").asText())
                .distinct()
                .toList();
        assertEquals(1, ids.size(), ids.toString());
        assertEquals(1, count("SELECT COUNT(*) FROM tasks WHERE user_id = ?", c.id()));
        assertEquals(1, ledger(c.id(), "deduct"));
        assertEquals(4, balance(c.id()));
        // later, the same key again is still the first task; a different request under it is refused
        assertEquals(
                ids.get(0),
                create(c, body, c.auth(idem)).json().get("data").get("taskId").asText());
        assertError(create(c, body("model_pose12", key, "wait"), c.auth(idem)), 400, 4001);
        // another key is another task; the same key of another user is theirs
        assertEquals(200, create(c, body, c.auth(idem + "-2")).status());
        Caller d = member(1);
        Http.Response theirs = create(d, body("basic_clean", input(d), "wait"), d.auth(idem));
        assertEquals(200, theirs.status(), theirs.body());
        assertFalse(ids.get(0).equals(theirs.json().get("data").get("taskId").asText()));
        assertEquals(3, balance(c.id()));
        // an expired key is taken over by a new task
        jdbc().update(
                        "UPDATE task_idempotency_keys SET expires_at = ? WHERE user_id = ? AND idempotency_key = ?",
                        Instant.now().minusSeconds(1),
                        c.id(),
                        idem);
        String renewed =
                create(c, body, c.auth(idem)).json().get("data").get("taskId").asText();
        assertFalse(renewed.equals(ids.get(0)));
        assertEquals(2, balance(c.id()));
        assertError(create(c, body, c.auth("bad key with spaces")), 400, 4001);
    }

    @Test
    void inputsMustBeTheCallersOwnUploadsAndUrlsAreNeverFetched() {
        Caller alice = member(5);
        Caller bob = member(5);
        String bobs = input(bob);
        Http.Response r = create(alice, body("basic_clean", bobs, "succeed"));
        assertError(r, 400, 4001);
        assertTrue(r.json().get("error").get("message").asText().startsWith("inputKey"));
        String mine = input(alice);
        for (String bad : List.of(
                "input/" + alice.id() + "/../" + bob.id() + "/x.png",
                "../" + mine,
                mine.replace(".png", ".jpg"),
                "input/" + alice.id() + "/20261202/missing.png",
                "/" + mine,
                "output/x/result.png")) {
            assertError(create(alice, body("basic_clean", bad, "succeed")), 400, 4001);
        }
        // a PNG stored under a .jpg name is not what its name says
        String lying = MediaFiles.inputPrefix(alice.id()) + "20261202/" + Secrets.randomHex(16) + ".jpg";
        storage().put(lying, PNG, "image/jpeg");
        assertError(create(alice, body("basic_clean", lying, "succeed")), 400, 4001);

        // URLs: our own signed URL of her input works; anything else is refused without a request
        String own = media.readUrl(mine).toString();
        for (String url : List.of(
                "https://evil.example.com/" + mine,
                "http://169.254.169.254/latest/meta-data",
                media.readUrl(bobs).toString(),
                own.replace("/files/", "/files/%2e%2e/"),
                "file:///etc/passwd",
                "not a url")) {
            Http.Response u =
                    create(alice, "{\"type\":\"basic_clean\",\"inputImageUrl\":\"" + url.replace("\"", "") + "\"}");
            assertError(u, 400, 4001);
            assertTrue(u.json().get("error").get("message").asText().startsWith("inputImageUrl"), u.body());
        }
        Http.Response viaUrl = create(alice, "{\"type\":\"basic_clean\",\"inputImageUrl\":\"" + own + "\"}");
        assertEquals(200, viaUrl.status(), viaUrl.body());

        // type and params
        Http.Response unknown = create(alice, body("upscale", mine, "x"));
        assertError(unknown, 400, 4001);
        assertTrue(unknown.json().get("error").get("message").asText().startsWith("type"));
        assertError(create(alice, "{\"inputKey\":\"" + mine + "\"}"), 400, 4001);
        assertError(create(alice, "{\"type\":\"basic_clean\"}"), 400, 4001);
        assertError(create(alice, body("basic_clean", mine, "x".repeat(201))), 400, 4001);
        assertError(
                create(alice, "{\"type\":\"basic_clean\",\"inputKey\":\"" + mine + "\",\"params\":{\"scene\":5}}"),
                400,
                4001);
        assertError(
                create(
                        alice,
                        "{\"type\":\"basic_clean\",\"inputKey\":\"" + mine + "\",\"inputImageUrl\":\"" + own + "\"}"),
                400,
                4001);
        assertEquals(1, count("SELECT COUNT(*) FROM tasks WHERE user_id = ?", alice.id()));
        assertEquals(4, balance(alice.id()));
    }

    @Test
    void membershipAndQuotaAreRequiredAndARefusalLeavesNothing() {
        Caller stranger = user();
        assertError(create(stranger, body("basic_clean", input(stranger), "succeed")), 403, 1002);
        Caller broke = member(1);
        String key = input(broke);
        assertEquals(200, create(broke, body("basic_clean", key, "wait")).status());
        assertError(create(broke, body("basic_clean", key, "wait")), 403, 1003);
        assertEquals(0, count("SELECT COUNT(*) FROM tasks WHERE user_id = ?", stranger.id()));
        assertEquals(1, count("SELECT COUNT(*) FROM tasks WHERE user_id = ?", broke.id()));
        assertError(api.post("/api/task/create", body("basic_clean", key, "x")), 401, 1001);
    }

    @Test
    void aRolledBackCreationLeavesNoExecution() {
        String id = Secrets.randomHex(16);
        assertThrows(
                IllegalStateException.class,
                () -> jdbc().inTransaction(h -> {
                    module.engine().schedule(h, id, Instant.now().plusSeconds(3600));
                    throw new IllegalStateException("rolled back");
                }));
        assertEquals(0, executions(id));
        jdbc().inTransaction(h -> {
            module.engine().schedule(h, id, Instant.now().plusSeconds(3600));
            return null;
        });
        assertEquals(1, executions(id), "the same call commits with its transaction");
        jdbc().update(
                        "DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?",
                        TaskEngine.TASK_NAME,
                        id);
    }

    // --- reading ---

    @Test
    void listAndGetAreTheOwnersOnly() throws Exception {
        Caller alice = member(10);
        Caller bob = member(1);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(created(alice, i % 2 == 0 ? "basic_clean" : "model_pose12", "wait"));
            Thread.sleep(5); // distinct creation times
        }
        String failed = created(alice, "basic_clean", "fail-poll");
        awaitFinished(alice, failed, Duration.ofSeconds(20));
        String bobs = created(bob, "basic_clean", "wait");

        JsonNode page = api.get("/api/task/list?limit=2", alice.auth()).json().get("data");
        assertEquals(5, page.get("total").asInt());
        assertEquals(2, page.get("limit").asInt());
        assertEquals(0, page.get("offset").asInt());
        assertEquals(failed, page.get("tasks").get(0).get("id").asText(), "newest first");
        assertEquals(ids.get(3), page.get("tasks").get(1).get("id").asText());
        JsonNode next =
                api.get("/api/task/list?limit=2&offset=2", alice.auth()).json().get("data");
        assertEquals(ids.get(2), next.get("tasks").get(0).get("id").asText());
        assertEquals(ids.get(1), next.get("tasks").get(1).get("id").asText());
        assertEquals(5, next.get("total").asInt(), "a full page counts the rest");
        // the total of a last, partial page comes from the page itself; past the end, from a count
        JsonNode last =
                api.get("/api/task/list?limit=2&offset=4", alice.auth()).json().get("data");
        assertEquals(1, last.get("tasks").size());
        assertEquals(ids.get(0), last.get("tasks").get(0).get("id").asText());
        assertEquals(5, last.get("total").asInt(), "last page");
        JsonNode exact = api.get("/api/task/list?limit=5", alice.auth()).json().get("data");
        assertEquals(5, exact.get("tasks").size());
        assertEquals(5, exact.get("total").asInt(), "a page exactly as long as the list");
        JsonNode past =
                api.get("/api/task/list?limit=2&offset=7", alice.auth()).json().get("data");
        assertEquals(0, past.get("tasks").size());
        assertEquals(5, past.get("total").asInt(), "past the end the total is still counted");
        JsonNode byType =
                api.get("/api/task/list?type=model_pose12", alice.auth()).json().get("data");
        assertEquals(2, byType.get("total").asInt());
        JsonNode byStatus =
                api.get("/api/task/list?status=failed", alice.auth()).json().get("data");
        assertEquals(1, byStatus.get("total").asInt());
        assertEquals(failed, byStatus.get("tasks").get(0).get("id").asText());
        JsonNode both = api.get("/api/task/list?status=failed&type=model_pose12", alice.auth())
                .json()
                .get("data");
        assertEquals(0, both.get("total").asInt());
        assertEquals(
                10,
                api.get("/api/task/list", alice.auth())
                        .json()
                        .get("data")
                        .get("limit")
                        .asInt());
        for (String bad : List.of("limit=0", "limit=101", "limit=x", "offset=-1", "status=done", "type=upscale")) {
            assertError(api.get("/api/task/list?" + bad, alice.auth()), 400, 4001);
        }
        assertError(api.get("/api/task/list"), 401, 1001);

        assertError(api.get("/api/task/" + bobs, alice.auth()), 404, 4004);
        assertError(api.get("/api/task/" + "0".repeat(32), alice.auth()), 404, 4004);
        assertError(api.get("/api/task/" + bobs.toUpperCase(Locale.ROOT), alice.auth()), 404, 4004);
        assertError(api.get("/api/task/not-a-task", alice.auth()), 404, 4004);
        assertEquals(bobs, task(bob, bobs).get("id").asText());
        assertEquals(
                1,
                api.get("/api/task/list", bob.auth())
                        .json()
                        .get("data")
                        .get("total")
                        .asInt());
    }

    @Test
    void metricsCountTasksRefundsStepsAndTheQueue() throws Exception {
        Caller c = member(2);
        String ok = created(c, "basic_clean", "succeed");
        String bad = created(c, "basic_clean", "fail-poll");
        awaitFinished(c, ok, Duration.ofSeconds(20));
        awaitFinished(c, bad, Duration.ofSeconds(20));
        Thread.sleep(2100); // the queue gauge is cached for 2 s
        HttpResponse<String> r = raw.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/observe/metrics"))
                        .header("Accept", "text/plain")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        String text = r.body();
        assertTrue(metric(text, "ai_photo_tasks_finished_total", "outcome=\"succeeded\"") >= 1, text);
        assertTrue(metric(text, "ai_photo_tasks_finished_total", "outcome=\"failed\"") >= 1, text);
        assertTrue(metric(text, "ai_photo_task_refunds_total", "type=\"basic_clean\"") >= 1, text);
        assertTrue(metric(text, "ai_photo_tasks_created_total", "type=\"basic_clean\"") >= 2, text);
        assertTrue(text.contains("ai_photo_task_step_seconds"), text);
        assertEquals(
                count("SELECT COUNT(*) FROM tasks WHERE status IN ('pending', 'processing')"),
                (int) metric(text, "ai_photo_task_queue_depth", ""),
                text);
    }

    /** The value of the first sample of {@code name} whose labels contain {@code label}. */
    static double metric(String text, String name, String label) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name)
                    && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')
                    && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
