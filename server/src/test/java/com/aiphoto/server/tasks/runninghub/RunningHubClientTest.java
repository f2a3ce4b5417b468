package com.aiphoto.server.tasks.runninghub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.config.Settings;
import com.aiphoto.server.tasks.ProviderException;
import com.aiphoto.server.tasks.runninghub.RunningHubClient.Config;
import com.aiphoto.server.tasks.runninghub.RunningHubClient.Outputs;
import com.aiphoto.testing.FakeRunningHub;
import com.aiphoto.testing.FakeServer;
import com.aiphoto.testing.FakeServer.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the fake RunningHub: the wire shapes it sends, and how each answer maps. */
class RunningHubClientTest {
    static final String KEY = "rh-key-0123456789abcdef0123456789";
    static final URI HOOK = URI.create("https://photo.example.com/api/callbacks/runninghub/t1?token=abc");

    private final ObjectMapper mapper = new ObjectMapper();
    FakeRunningHub fake;

    @BeforeEach
    void start() {
        fake = new FakeRunningHub(KEY);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private Settings settings(Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>(fake.settings());
        m.putAll(overrides);
        return Settings.of(m);
    }

    private RunningHubClient client() {
        return client(Map.of());
    }

    private RunningHubClient client(Map<String, String> overrides) {
        Config c = Config.from(settings(overrides)).orElseThrow();
        return new RunningHubClient(() -> c);
    }

    /** An input photo: any real PNG will do. */
    private byte[] png() {
        return fake.images().get(0);
    }

    private String started(RunningHubClient client) {
        String file = client.upload(png(), "photo.png");
        return client.run(file, "beach at sunset", "dress", HOOK);
    }

    @Test
    void uploadsRunsPollsAndDownloadsTheTwelveOutputs() throws Exception {
        RunningHubClient client = client();
        String fileName = client.upload(png(), "photo.png");
        assertTrue(fake.uploads().contains(fileName), fileName);

        String taskId = client.run(fileName, "beach at sunset", "dress", HOOK);
        FakeRunningHub.Run run = fake.run(taskId).orElseThrow();
        assertEquals(fileName, run.value(FakeRunningHub.IMAGE_NODE).orElseThrow());
        assertEquals("beach at sunset", run.value(FakeRunningHub.SCENE_NODE).orElseThrow());
        assertEquals("dress", run.value(FakeRunningHub.CATEGORY_NODE).orElseThrow());
        assertEquals(HOOK.toString(), run.webhookUrl());
        assertTrue(fake.shapeProblems().isEmpty(), fake.shapeProblems()::toString);

        // the wire: apiKey in the body, webappId as a string, the upload a multipart form with fileType
        FakeServer.Request runRequest = last("/task/openapi/ai-app/run");
        JsonNode body = mapper.readTree(runRequest.body());
        assertTrue(body.get("webappId").isTextual(), body::toString);
        assertEquals(FakeRunningHub.WEBAPP_ID, body.get("webappId").asText());
        assertEquals(KEY, body.get("apiKey").asText());
        assertEquals(3, body.get("nodeInfoList").size());
        FakeServer.Request upload = last("/task/openapi/upload");
        assertTrue(upload.header("Content-Type").orElseThrow().startsWith("multipart/form-data; boundary="));
        String form = new String(upload.body(), StandardCharsets.ISO_8859_1);
        assertTrue(form.contains("name=\"fileType\"\r\n\r\ninput\r\n"), form.substring(0, 300));
        assertTrue(form.contains("filename=\"photo.png\"\r\nContent-Type: image/png"), form.substring(0, 400));

        assertInstanceOf(Outputs.Queued.class, client.outputs(taskId));
        assertInstanceOf(Outputs.Running.class, client.outputs(taskId));
        Outputs.Done done = assertInstanceOf(Outputs.Done.class, client.outputs(taskId));
        assertEquals(FakeRunningHub.OUTPUTS, done.files().size());
        List<byte[]> images = fake.images();
        for (int i = 0; i < done.files().size(); i++) {
            assertArrayEquals(images.get(i), client.download(done.files().get(i)), "output " + (i + 1));
        }
        // distinct images, each a PNG
        assertEquals(
                12, images.stream().map(java.util.Arrays::hashCode).distinct().count());
        assertTrue(images.stream().allMatch(b -> b[1] == 'P' && b[2] == 'N' && b[3] == 'G'));
        // the outputs body carries the taskId and the key
        JsonNode poll = mapper.readTree(last("/task/openapi/outputs").body());
        assertEquals(taskId, poll.get("taskId").asText());
        assertEquals(KEY, poll.get("apiKey").asText());
    }

    @Test
    void aRunWithoutWebhookSendsNone() throws Exception {
        RunningHubClient client = client();
        String taskId = client.run(client.upload(png(), "a.jpg"), "s", "c", null);
        assertFalse(mapper.readTree(last("/task/openapi/ai-app/run").body()).has("webhookUrl"));
        assertEquals(null, fake.run(taskId).orElseThrow().webhookUrl());
    }

    @Test
    void aFailedRunReportsItsReason() {
        fake.script(FakeRunningHub.Script.fails());
        RunningHubClient client = client();
        String taskId = started(client);
        assertInstanceOf(Outputs.Queued.class, client.outputs(taskId));
        assertInstanceOf(Outputs.Running.class, client.outputs(taskId));
        Outputs.Failed failed = assertInstanceOf(Outputs.Failed.class, client.outputs(taskId));
        assertEquals("KSampler: " + FakeRunningHub.FAILED_REASON, failed.reason());
    }

    @Test
    void aHangingRunStaysRunning() {
        fake.script(FakeRunningHub.Script.hangs());
        RunningHubClient client = client();
        String taskId = started(client);
        client.outputs(taskId);
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(Outputs.Running.class, client.outputs(taskId));
        }
    }

    @Test
    void queueFullIsTransientAndTheNextRunGoesThrough() {
        RunningHubClient client = client();
        String file = client.upload(png(), "photo.png");
        fake.queueFull(2);
        for (int i = 0; i < 2; i++) {
            ProviderException e = assertThrows(ProviderException.class, () -> client.run(file, "s", "c", HOOK));
            assertTrue(e.isTransient(), e.getMessage());
            assertTrue(e.getMessage().contains("421"), e.getMessage());
        }
        assertTrue(fake.run(client.run(file, "s", "c", HOOK)).isPresent());
        assertEquals(1, fake.runs().size());
    }

    @Test
    void eachCodeMapsAsDocumented() {
        RunningHubClient client = client();
        String file = client.upload(png(), "photo.png");
        Map<Integer, Boolean> transientByCode = Map.ofEntries(
                Map.entry(415, true),
                Map.entry(421, true),
                Map.entry(500, true),
                Map.entry(808, true),
                Map.entry(999, true), // unknown: retried until the deadline
                Map.entry(301, false),
                Map.entry(433, false),
                Map.entry(802, false),
                Map.entry(803, false),
                Map.entry(812, false),
                Map.entry(901, false));
        transientByCode.forEach((code, isTransient) -> {
            fake.failNext("/task/openapi/ai-app/run", code, 1);
            ProviderException e = assertThrows(ProviderException.class, () -> client.run(file, "s", "c", HOOK));
            assertEquals(isTransient, e.isTransient(), code + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("code " + code), e.getMessage());
        });
        fake.failNext("/task/openapi/upload", 808, 1);
        assertTrue(assertThrows(ProviderException.class, () -> client.upload(png(), "p.png"))
                .isTransient());
        String taskId = client.run(file, "s", "c", HOOK);
        fake.failNext("/task/openapi/outputs", 807, 1);
        assertFalse(assertThrows(ProviderException.class, () -> client.outputs(taskId))
                .isTransient());
        assertTrue(fake.runs().size() == 1);
    }

    @Test
    void realPermanentRefusalsFromTheFake() {
        // a wrong key: 802
        RunningHubClient wrongKey = client(Map.of("RUNNINGHUB_API_KEY", "not-the-key"));
        ProviderException e = assertThrows(ProviderException.class, () -> wrongKey.upload(png(), "p.png"));
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains("802"), e.getMessage());
        // nodes the app does not have: 803
        RunningHubClient wrongNode = client(Map.of("RUNNINGHUB_SCENE_NODE", "77:text"));
        String file = wrongNode.upload(png(), "p.png");
        e = assertThrows(ProviderException.class, () -> wrongNode.run(file, "s", "c", HOOK));
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains("803"), e.getMessage());
        // an app that does not exist: 901
        RunningHubClient wrongApp = client(Map.of("RUNNINGHUB_WEBAPP_ID", "123"));
        e = assertThrows(ProviderException.class, () -> wrongApp.run(file, "s", "c", HOOK));
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains("901"), e.getMessage());
        assertTrue(fake.runs().isEmpty());
    }

    @Test
    void answersOutsideTheEnvelope() {
        RunningHubClient client = client(Map.of("RUNNINGHUB_TIMEOUT", "1s"));
        String path = "/task/openapi/outputs";
        assertMaps(client, path, Reply.text(502, "bad gateway"), true, "HTTP 502");
        assertMaps(client, path, Reply.text(429, "slow down"), true, "HTTP 429");
        assertMaps(
                client,
                path,
                Reply.of(200, "text/html", "<html>busy</html>".getBytes(StandardCharsets.UTF_8)),
                true,
                "not JSON");
        assertMaps(client, path, Reply.json(200, "[1,2]"), true, "not a JSON object");
        assertMaps(client, path, Reply.json(200, "{\"msg\":\"no code\"}"), true, "without a code");
        assertMaps(client, path, Reply.json(200, "{\"code\":0,\"data\":[]}"), true, "without output files");
        assertMaps(
                client,
                path,
                Reply.json(200, "{\"code\":0,\"data\":[{\"fileUrl\":\"file:///etc/passwd\"}]}"),
                false,
                "not an http(s) URL");
        assertMaps(client, path, Reply.text(404, "no such path"), false, "HTTP 404");
        assertMaps(client, path, Reply.empty(301).header("Location", "https://elsewhere.example"), false, "HTTP 301");
        String big = "{\"code\":0,\"msg\":\"" + "x".repeat(RunningHubClient.MAX_ANSWER) + "\"}";
        assertMaps(client, path, Reply.json(200, big), false, "larger than");
        // the code may come as a string
        fake.answer(path, Reply.json(200, "{\"code\":\"804\",\"msg\":\"APIKEY_TASK_IS_RUNNING\",\"data\":null}"));
        assertInstanceOf(Outputs.Running.class, client.outputs("1"));
    }

    @Test
    void aSlowAnswerTimesOutAsTransient() {
        RunningHubClient client = client(Map.of("RUNNINGHUB_TIMEOUT", "1s"));
        fake.answer("/task/openapi/outputs", slow(Reply.json(200, "{\"code\":804,\"msg\":\"\",\"data\":null}")));
        long t0 = System.nanoTime();
        ProviderException e = assertThrows(ProviderException.class, () -> client.outputs("1"));
        assertTrue(e.isTransient());
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "bounded by the timeout, not by the slow answer");
    }

    @Test
    void anUnreachableRunningHubIsTransient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RunningHubClient client = client(Map.of("RUNNINGHUB_BASE_URL", "http://127.0.0.1:" + port));
        ProviderException e = assertThrows(ProviderException.class, () -> client.upload(png(), "p.png"));
        assertTrue(e.isTransient());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }

    @Test
    void downloads() {
        RunningHubClient client = client();
        assertFalse(assertThrows(ProviderException.class, () -> client.download(URI.create("file:///etc/passwd")))
                .isTransient());
        // not there (yet): transient
        ProviderException e = assertThrows(
                ProviderException.class, () -> client.download(URI.create(fake.endpoint() + "/files/1/1.png")));
        assertTrue(e.isTransient(), e.getMessage());
        fake.answer("/files/9/1.png", Reply.text(403, "denied"));
        assertFalse(assertThrows(
                        ProviderException.class, () -> client.download(URI.create(fake.endpoint() + "/files/9/1.png")))
                .isTransient());
        fake.answer("/files/9/2.png", Reply.text(503, "later"));
        assertTrue(assertThrows(
                        ProviderException.class, () -> client.download(URI.create(fake.endpoint() + "/files/9/2.png")))
                .isTransient());
    }

    @Test
    void theKeyNeverAppearsInMessages() {
        RunningHubClient client = client();
        String file = client.upload(png(), "p.png");
        String echo = "{\"code\":802,\"msg\":\"apiKey " + KEY + " is unauthorized\",\"data\":null}";
        fake.answer("/task/openapi/ai-app/run", Reply.json(200, echo));
        ProviderException e = assertThrows(ProviderException.class, () -> client.run(file, "s", "c", HOOK));
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertTrue(e.getMessage().contains("****"), e.getMessage());
        fake.answer(
                "/task/openapi/outputs",
                Reply.json(
                        200,
                        "{\"code\":805,\"msg\":\"x\",\"data\":{\"failedReason\":{\"node_name\":\"Load\",\"exception_message\":\"key="
                                + KEY + "\\nline two\"}}}"));
        Outputs.Failed failed = assertInstanceOf(Outputs.Failed.class, client.outputs("1"));
        assertEquals("Load: key=**** line two", failed.reason());
        // a long reason is shortened
        fake.answer(
                "/task/openapi/outputs",
                Reply.json(
                        200, "{\"code\":805,\"msg\":\"x\",\"data\":{\"failedReason\":\"" + "y".repeat(5000) + "\"}}"));
        assertTrue(((Outputs.Failed) client.outputs("1")).reason().length() <= RunningHubClient.MAX_REASON + 3);
        // nor in the configuration's text, nor in messages about the transport
        Config c = Config.from(settings(Map.of())).orElseThrow();
        assertFalse(c.toString().contains(KEY));
        for (Function<RunningHubClient, Object> call : List.<Function<RunningHubClient, Object>>of(
                rh -> rh.upload(png(), "p.png"), rh -> rh.run(file, "s", "c", HOOK), rh -> rh.outputs("1"))) {
            fake.answer("/task/openapi/upload", Reply.text(500, KEY));
            fake.answer("/task/openapi/ai-app/run", Reply.text(500, KEY));
            fake.answer("/task/openapi/outputs", Reply.text(500, KEY));
            ProviderException t = assertThrows(ProviderException.class, () -> call.apply(client));
            assertFalse(t.getMessage().contains(KEY), t.getMessage());
        }
    }

    @Test
    void configuration() {
        assertTrue(Config.from(Settings.of(Map.of())).isEmpty(), "no key: RunningHub off");
        Config defaults = Config.from(Settings.of(Map.of("RUNNINGHUB_API_KEY", KEY, "RUNNINGHUB_WEBAPP_ID", "42")))
                .orElseThrow();
        assertEquals(URI.create("https://www.runninghub.cn"), defaults.baseUrl());
        assertEquals(RunningHubClient.DEFAULT_IMAGE_NODE, defaults.imageNode());
        assertEquals(new RunningHubClient.Node("3", "text"), defaults.sceneNode());
        assertEquals(new RunningHubClient.Node("4", "text"), defaults.categoryNode());
        assertEquals(java.time.Duration.ofSeconds(30), defaults.timeout());
        // the three-value constructor keeps the same defaults
        assertEquals(defaults, new Config(defaults.baseUrl(), KEY, "42"));

        ConfigException missing =
                assertThrows(ConfigException.class, () -> Config.from(Settings.of(Map.of("RUNNINGHUB_API_KEY", KEY))));
        assertTrue(missing.getMessage().contains("RUNNINGHUB_WEBAPP_ID"));
        assertFalse(missing.getMessage().contains(KEY));
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("RUNNINGHUB_IMAGE_NODE", "image"),
                Map.entry("RUNNINGHUB_SCENE_NODE", "3:"),
                Map.entry("RUNNINGHUB_CATEGORY_NODE", "4:te xt"),
                Map.entry("RUNNINGHUB_WEBAPP_ID", "12ab"),
                Map.entry("RUNNINGHUB_BASE_URL", "ftp://runninghub.cn"))) {
            ConfigException e = assertThrows(ConfigException.class, () -> Config.from(settings(Map.ofEntries(bad))));
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
            assertFalse(e.getMessage().contains(KEY));
        }
    }

    @Test
    void theConfigurationIsReadOnEveryCall() {
        Config good = Config.from(settings(Map.of())).orElseThrow();
        Config bad =
                Config.from(settings(Map.of("RUNNINGHUB_API_KEY", "old-key"))).orElseThrow();
        Config[] current = {bad};
        RunningHubClient client = new RunningHubClient(() -> current[0]);
        assertThrows(ProviderException.class, () -> client.upload(png(), "p.png"));
        current[0] = good;
        String name = client.upload(png(), "p.png");
        assertTrue(fake.uploads().contains(name), name);
    }

    private void assertMaps(RunningHubClient client, String path, Reply reply, boolean isTransient, String text) {
        fake.answer(path, reply);
        ProviderException e = assertThrows(ProviderException.class, () -> client.outputs("1"));
        assertEquals(isTransient, e.isTransient(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        fake.forget(path);
    }

    private static Function<FakeServer.Request, Reply> slow(Reply reply) {
        return r -> {
            try {
                Thread.sleep(4000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return reply;
        };
    }

    private FakeServer.Request last(String path) {
        List<FakeServer.Request> matching =
                fake.requests().stream().filter(r -> r.path().equals(path)).toList();
        assertFalse(matching.isEmpty(), "no request to " + path);
        return matching.get(matching.size() - 1);
    }
}
