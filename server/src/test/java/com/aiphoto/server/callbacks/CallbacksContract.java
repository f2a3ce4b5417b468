package com.aiphoto.server.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.Http;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.LogCapture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker callbacks and RunningHub webhooks on one backend: what reaches the engine's handlers, once, and what is
 * refused before them. Subclasses choose the backend; those with a shared database also run two instances.
 */
abstract class CallbacksContract {
    static final String SECRET = "callback-secret-0123456789-abcdefghijklmnop-XYZ";
    static final String TASK = "0123456789abcdef0123456789abcdef";
    static final String TOKEN = "webhook-token-abcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path dir;

    final ObjectMapper mapper = new ObjectMapper();
    final RecordingSteps steps = new RecordingSteps();
    final RecordingHooks hooks = new RecordingHooks();
    final List<CallbackServer> servers = new ArrayList<>();
    CallbackServer server;
    Http api;

    /** The database (and Redis) settings of this backend. */
    abstract Map<String, String> backend();

    /** The handler: APPLIED the first time a step is reported, ALREADY_FINISHED after; unknown tasks NOT_FOUND. */
    static final class RecordingSteps implements StepCallbacks {
        record Call(String taskId, int stepIndex, boolean completed, JsonNode output, String errorMessage) {}

        final List<Call> calls = new CopyOnWriteArrayList<>();
        final Set<String> finished = ConcurrentHashMap.newKeySet();
        volatile RuntimeException failWith;

        @Override
        public Result stepFinished(String taskId, int stepIndex, boolean completed, JsonNode output, String error) {
            RuntimeException f = failWith;
            if (f != null) {
                failWith = null;
                throw f;
            }
            calls.add(new Call(taskId, stepIndex, completed, output, error));
            if (!taskId.equals(TASK)) {
                return Result.NOT_FOUND;
            }
            return finished.add(taskId + "/" + stepIndex) ? Result.APPLIED : Result.ALREADY_FINISHED;
        }
    }

    static final class RecordingHooks implements RunningHubWebhooks {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public boolean hint(String taskId, String token) {
            calls.add(taskId + " " + token);
            return taskId.equals(TASK) && token.equals(TOKEN);
        }
    }

    Map<String, String> settings() {
        Map<String, String> m = new HashMap<>(backend());
        m.put("INTERNAL_CALLBACK_SECRET", SECRET);
        return m;
    }

    @BeforeEach
    void startServer() {
        server = start("one", settings());
        api = new Http(server.port());
    }

    @AfterEach
    void stopServers() {
        servers.forEach(CallbackServer::close);
    }

    CallbackServer start(String name, Map<String, String> settings) {
        CallbackServer s = new CallbackServer(dir.resolve(name), settings, steps, hooks);
        servers.add(s);
        return s;
    }

    static String path(String taskId, int step) {
        return "/api/internal/tasks/" + taskId + "/steps/" + step + "/callback";
    }

    /** A signed callback as a worker sends it. */
    record Signed(String path, String body, String timestamp, String signature) {
        Http.Response send(Http http) {
            return http.post(path, body, "X-Timestamp", timestamp, "X-Internal-Signature", signature);
        }

        Signed withSignature(String s) {
            return new Signed(path, body, timestamp, s);
        }

        Signed withBody(String b) {
            return new Signed(path, b, timestamp, signature);
        }
    }

    static Signed signed(String path, String body, long timestamp, String secret) {
        String ts = Long.toString(timestamp);
        return new Signed(
                path,
                body,
                ts,
                CallbackSignature.sign(
                        secret.getBytes(StandardCharsets.UTF_8), ts, body.getBytes(StandardCharsets.UTF_8)));
    }

    static Signed signed(String path, String body) {
        return signed(path, body, Instant.now().getEpochSecond(), SECRET);
    }

    /**
     * A completed step's body, unique to this test: the database and Redis outlive a test, and an identical body
     * signed in the same second by an earlier test would rightly be a replay.
     */
    final String run = java.util.UUID.randomUUID().toString();

    final String completed =
            "{\"status\":\"completed\",\"output\":{\"keys\":[\"output/t/1.png\"],\"run\":\"" + run + "\"}}";

    static void assertRefused(Http.Response r, int status, int code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().path("error").path("code").asInt(), r.body());
    }

    @Test
    void aValidCallbackReachesTheHandlerOnce() throws Exception {
        Http.Response r = signed(path(TASK, 2), completed).send(api);
        assertEquals(200, r.status(), r.body());
        assertEquals("applied", r.json().path("data").path("result").asText());
        assertEquals(1, steps.calls.size());
        RecordingSteps.Call call = steps.calls.get(0);
        assertEquals(TASK, call.taskId());
        assertEquals(2, call.stepIndex());
        assertTrue(call.completed());
        assertEquals(mapper.readTree("{\"keys\":[\"output/t/1.png\"],\"run\":\"" + run + "\"}"), call.output());

        Http.Response failed = signed(
                        path(TASK, 3), "{\"status\":\"failed\",\"errorMessage\":\"GPU lost " + run + "\"}")
                .send(api);
        assertEquals(200, failed.status(), failed.body());
        RecordingSteps.Call f = steps.calls.get(1);
        assertEquals(false, f.completed());
        assertEquals("GPU lost " + run, f.errorMessage());
        assertEquals(null, f.output());
    }

    @Test
    void aCallbackForAFinishedStepIs200WithoutEffect() {
        assertEquals(200, signed(path(TASK, 1), completed).send(api).status());
        // the worker's retry, signed anew (a second earlier, so the signature differs)
        Http.Response again = signed(path(TASK, 1), completed, Instant.now().getEpochSecond() - 1, SECRET)
                .send(api);
        assertEquals(200, again.status(), again.body());
        assertEquals(
                "already_finished", again.json().path("data").path("result").asText());
    }

    @Test
    void aCallbackFourMinutesOffEitherWayIsAccepted() {
        long now = Instant.now().getEpochSecond();
        assertEquals(
                200,
                signed(path(TASK, 10), completed, now - 240, SECRET).send(api).status());
        assertEquals(
                200,
                signed(path(TASK, 11), completed, now + 240, SECRET).send(api).status());
        assertEquals(2, steps.calls.size());
    }

    @Test
    void anUnknownTaskIs404() {
        assertRefused(
                signed(path("ffffffffffffffffffffffffffffffff", 0), completed).send(api), 404, 4004);
    }

    @Test
    void forgedCallbacksNeverReachTheHandler() {
        try (LogCapture security = LogCapture.of("security")) {
            Signed good = signed(path(TASK, 0), completed);
            long now = Instant.now().getEpochSecond();
            List<Http.Response> refused = List.of(
                    good.withBody(completed.replace("1.png", "2.png")).send(api), // tampered body
                    signed(path(TASK, 0), completed, now, "another-secret-0123456789-abcdefghijklmnop")
                            .send(api),
                    good.withSignature("0".repeat(64)).send(api),
                    good.withSignature("not-hex").send(api),
                    signed(path(TASK, 0), completed, now - 310, SECRET).send(api), // stale
                    signed(path(TASK, 0), completed, now + 310, SECRET).send(api), // from the future
                    api.post(path(TASK, 0), completed, "X-Timestamp", good.timestamp()), // no signature
                    api.post(path(TASK, 0), completed, "X-Internal-Signature", good.signature()), // no timestamp
                    api.post(path(TASK, 0), completed, "X-Timestamp", "soon", "X-Internal-Signature", good.signature()),
                    api.post(path(TASK, 0), completed));
            for (Http.Response r : refused) {
                assertRefused(r, 401, 1001);
            }
            assertEquals(List.of(), steps.calls);
            List<String> lines = security.lines();
            assertEquals(refused.size(), lines.size(), lines::toString);
            for (String reason : List.of(
                    "bad_signature", "bad_signature_header", "stale_timestamp", "future_timestamp", "bad_timestamp")) {
                assertTrue(lines.stream().anyMatch(l -> l.contains(reason)), reason + " in " + lines);
            }
            security.assertNoSecret(List.of(SECRET, good.signature()));
            // the genuine one still goes through afterwards
            assertEquals(200, good.send(api).status());
        }
    }

    @Test
    void aReplayIsRefusedAlsoInAnotherCase() {
        Signed s = signed(path(TASK, 0), completed);
        assertEquals(200, s.send(api).status());
        assertRefused(s.send(api), 401, 1001);
        assertRefused(s.withSignature(s.signature().toUpperCase(Locale.ROOT)).send(api), 401, 1001);
        assertEquals(1, steps.calls.size());
    }

    @Test
    void aSignedBodyIsRefusedOnAnotherStepsPath() {
        // the signature does not cover the path, so the signature itself is the replay key: a captured callback
        // cannot be redirected to another task or step within the window
        Signed s = signed(path(TASK, 7), completed);
        assertEquals(200, s.send(api).status());
        assertRefused(new Signed(path(TASK, 8), s.body(), s.timestamp(), s.signature()).send(api), 401, 1001);
        assertEquals(1, steps.calls.size());
    }

    @Test
    void invalidBodiesAre400AndNotHandled() {
        assertRefused(signed(path(TASK, 0), "{\"status\":\"done\"}").send(api), 400, 4001);
        assertRefused(signed(path(TASK, 0), "{\"output\":{}}").send(api), 400, 4001);
        assertRefused(
                signed(path(TASK, 0), "{\"status\":\"failed\",\"errorMessage\":7}")
                        .send(api),
                400,
                4001);
        assertRefused(
                signed(path(TASK, 0), "{\"status\":\"failed\",\"errorMessage\":\"" + "x".repeat(1001) + "\"}")
                        .send(api),
                400,
                4001);
        assertRefused(signed(path(TASK, 0), "not json").send(api), 400, 4001);
        Http raw = Http.outsideContract(server.port()); // the document says stepIndex is an integer
        assertRefused(
                signed(path(TASK, 0).replace("/steps/0/", "/steps/x/"), completed)
                        .send(raw),
                400,
                4001);
        assertEquals(List.of(), steps.calls);
    }

    @Test
    void whenRecordingFailsTheWorkerMayResendTheSameRequest() {
        Signed s = signed(path(TASK, 4), completed);
        steps.failWith = new IllegalStateException("engine bug");
        Http.Response failed = s.send(api);
        assertEquals(500, failed.status(), failed.body());
        Http.Response retried = s.send(api);
        assertEquals(200, retried.status(), retried.body());
        assertEquals(1, steps.calls.size());
    }

    @Test
    void withoutTheSecretEveryCallbackIsRefused() {
        Map<String, String> m = settings();
        m.remove("INTERNAL_CALLBACK_SECRET");
        CallbackServer bare = start("bare", m);
        assertRefused(signed(path(TASK, 0), completed).send(new Http(bare.port())), 401, 1001);
        assertEquals(List.of(), steps.calls);
    }

    @Test
    void webhooksAreOnlyAHintCheckedByToken() {
        Http.Response ok =
                api.post("/api/callbacks/runninghub/" + TASK + "?token=" + TOKEN, "{\"event\":\"TASK_END\"}");
        assertEquals(200, ok.status(), ok.body());
        assertRefused(api.post("/api/callbacks/runninghub/" + TASK + "?token=wrong", "{}"), 404, 4004);
        assertRefused(api.post("/api/callbacks/runninghub/" + TASK, "{}"), 404, 4004);
        assertRefused(
                Http.outsideContract(server.port())
                        .post("/api/callbacks/runninghub/" + TASK + "?token=" + TOKEN, "x".repeat(70_000)),
                413,
                4001);
        assertEquals(List.of(TASK + " " + TOKEN, TASK + " wrong"), hooks.calls);
    }

    /** Two instances on this backend: a callback accepted by one is a replay to the other, also when raced. */
    void replaysAreRefusedAcrossInstances() throws Exception {
        CallbackServer other = start("two", settings());
        Http second = new Http(other.port());
        Signed s = signed(path(TASK, 5), completed);
        assertEquals(200, s.send(api).status());
        assertRefused(s.send(second), 401, 1001);

        // the signature covers the timestamp and the body, not the path: step 6's body must differ from step 5's
        Signed raced = signed(path(TASK, 6), completed.replace(run, run + "-6"));
        Http[] both = {api, second};
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        List<Integer> statuses = Concurrently.run(
                20, () -> raced.send(both[n.getAndIncrement() % 2]).status());
        assertEquals(1, statuses.stream().filter(st -> st == 200).count(), statuses::toString);
        assertEquals(19, statuses.stream().filter(st -> st == 401).count(), statuses::toString);
        assertEquals(2, steps.calls.size(), steps.calls::toString);
    }
}
