package com.aiphoto.server.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.storage.ImageTypes;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.payments.PaymentsModule;
import com.aiphoto.server.tasks.TaskUsers.Caller;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.FakeCos;
import com.aiphoto.testing.FakeRunningHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks end to end with the real providers on local storage: upload-url, the PUT, create, list, the engine on
 * db-scheduler, and the results read back through their signed URLs. basic_clean runs our own image processing;
 * model_pose12 runs the local engine, and RunningHub (the fake) followed by webhook and, with webhooks dropped, by
 * polling alone.
 *
 * <p>The RunningHub webhook route belongs to {@code server/callbacks} (another part of this work); until it is
 * registered in ApiRouting, a fixture route here hands the webhook to the engine the same way
 * ({@link com.aiphoto.server.callbacks.RunningHubWebhooks#hint}).
 */
abstract class TaskEndToEndContract {
    private static final String JWT_SECRET = "tasks-e2e-test-jwt-secret-0123456789-abcdef";

    @TempDir
    Path dir;

    AiPhotoServer.Running server;
    Http api;
    TasksModule module;
    FakeRunningHub runningHub;
    final HttpClient raw = HttpClient.newHttpClient();

    /** DB_* and REDIS_* settings of the backend under test. */
    abstract Map<String, String> backend();

    private static final String COS_ID = "AKIDtaskendtoend";
    private static final String COS_KEY = "task-end-to-end-cos-secret-key-01";
    private FakeCos cos;

    void start(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(backend());
        m.put("JWT_SECRET", JWT_SECRET);
        m.putAll(quickEngine(freePort()));
        m.putAll(extra);
        server = AiPhotoServer.start(
                TestServers.settings(dir, m), null, PaymentsModule::create, (p, auth, files, credentials) -> {
                    module = TasksModule.create(p, auth, files, credentials);
                    return module;
                });
        api = new Http(server.port());
    }

    /** A server on {@code port} whose engine steps every 200 ms, with its own webhook URLs. */
    static Map<String, String> quickEngine(int port) {
        Map<String, String> m = new HashMap<>();
        m.put("PORT", Integer.toString(port));
        // the webhook URL handed to RunningHub must reach this server
        m.put("API_DOMAIN", "http://127.0.0.1:" + port);
        m.put("SCHEDULER_POLL_INTERVAL", "200ms");
        m.put("SCHEDULER_HEARTBEAT", "1s");
        m.put("TASK_POLL_INTERVAL", "200ms");
        m.put("TASK_RETRY_BACKOFF", "100ms");
        m.put("TASK_RETRY_BACKOFF_MAX", "300ms");
        return m;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (runningHub != null) {
            runningHub.close();
        }
        if (cos != null) {
            cos.close();
        }
    }

    // --- fixture ---

    Caller member(int quota) {
        return TaskUsers.member(server.platform().database().jdbc(), JWT_SECRET, quota);
    }

    int balance(Caller c) {
        return count("SELECT quota_balance FROM users WHERE id = ?", c.id());
    }

    int count(String sql, Object... params) {
        return server.platform()
                .database()
                .jdbc()
                .queryOne(sql, r -> r.getInt(1), params)
                .orElseThrow();
    }

    /** An orange square on a teal background: something basic_clean can cut out. */
    static byte[] picture() {
        BufferedImage img = new BufferedImage(120, 90, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(30, 140, 150));
        g.fillRect(0, 0, 120, 90);
        g.setColor(new Color(240, 120, 20));
        g.fillRect(35, 25, 50, 40);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** upload-url, then the PUT with the returned headers; the key to create a task on. */
    String upload(Caller c, byte[] png) throws Exception {
        return upload(api, raw, this::local, c, png);
    }

    /** {@link #upload(Caller, byte[])} on the server behind {@code api}, its upload URL made reachable by {@code local}. */
    static String upload(Http api, HttpClient raw, Function<String, URI> local, Caller c, byte[] png) throws Exception {
        Http.Response r = api.post(
                "/api/media/upload-url",
                "{\"fileName\":\"shirt.png\",\"contentType\":\"image/png\",\"size\":" + png.length + "}",
                c.auth());
        assertEquals(200, r.status(), r.body());
        JsonNode grant = r.json().get("data");
        HttpRequest.Builder put = HttpRequest.newBuilder(
                        local.apply(grant.get("uploadUrl").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png));
        grant.get("headers")
                .properties()
                .forEach(e -> put.header(e.getKey(), e.getValue().asText()));
        HttpResponse<String> sent = raw.send(put.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(sent.statusCode() / 100 == 2, sent.statusCode() + " " + sent.body());
        return grant.get("key").asText();
    }

    String create(Caller c, String type, String key) {
        return create(api, c, type, key);
    }

    static String create(Http api, Caller c, String type, String key) {
        Http.Response r = api.post(
                "/api/task/create",
                "{\"type\":\"" + type + "\",\"inputKey\":\"" + key
                        + "\",\"params\":{\"scene\":\"studio\",\"category\":\"shirt\"}}",
                c.auth());
        assertEquals(200, r.status(), r.body());
        return r.json().get("data").get("taskId").asText();
    }

    JsonNode awaitFinished(Caller c, String id, Duration limit) throws InterruptedException {
        return awaitFinished(api, c, id, limit);
    }

    static JsonNode awaitFinished(Http api, Caller c, String id, Duration limit) throws InterruptedException {
        assertTrue(
                Concurrently.within(limit, () -> {
                    String s = task(api, c, id).get("status").asText();
                    return s.equals("succeeded") || s.equals("failed");
                }),
                "task " + id + " did not finish within " + limit + ": " + task(api, c, id));
        return task(api, c, id);
    }

    JsonNode task(Caller c, String id) {
        return task(api, c, id);
    }

    static JsonNode task(Http api, Caller c, String id) {
        Http.Response r = api.get("/api/task/" + id, c.auth());
        assertEquals(200, r.status(), r.body());
        return r.json().get("data");
    }

    /** The signed URL, sent to this server (its path and query are what is signed). */
    URI local(String url) {
        URI u = URI.create(url);
        if (cos != null) {
            return u; // presigned URLs of the fake COS, used as a client would
        }
        return local(server.port(), url);
    }

    /** A signed local-storage URL sent to the server on {@code port}. */
    static URI local(int port, String url) {
        URI u = URI.create(url);
        return URI.create("http://127.0.0.1:" + port + u.getRawPath() + "?" + u.getRawQuery());
    }

    /** Every result URL fetched: each an image, in order. */
    List<BufferedImage> results(JsonNode task) throws Exception {
        List<BufferedImage> images = new ArrayList<>();
        for (JsonNode url : task.get("resultUrls")) {
            HttpResponse<byte[]> got = raw.send(
                    HttpRequest.newBuilder(local(url.asText())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, got.statusCode(), url.asText());
            assertTrue(ImageTypes.sniff(got.body()).isPresent(), "not an image: " + url.asText());
            images.add(ImageIO.read(new ByteArrayInputStream(got.body())));
        }
        return images;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How many distinct images: the 12 poses are different pictures, not one copied 12 times. */
    static int distinct(List<BufferedImage> images) {
        Set<Integer> hashes = new HashSet<>();
        for (BufferedImage img : images) {
            int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
            hashes.add(java.util.Arrays.hashCode(px));
        }
        return hashes.size();
    }

    // --- the flows ---

    @Test
    void basicCleanOnLocalStorageCutsOutTheObjectAndItsResultsAreFetchable() throws Exception {
        start(Map.of());
        Caller c = member(2);
        String key = upload(c, picture());
        String id = create(c, "basic_clean", key);

        JsonNode done = awaitFinished(c, id, Duration.ofSeconds(30));
        assertEquals("succeeded", done.get("status").asText(), done.toString());
        List<String> names = new ArrayList<>();
        done.get("resultUrls")
                .forEach(u -> names.add(URI.create(u.asText()).getPath().replaceAll(".*/", "")));
        assertEquals(List.of("matting.png", "white-bg.png", "enhanced.png"), names);
        List<BufferedImage> out = results(done);
        BufferedImage matting = out.get(0);
        assertEquals(120, matting.getWidth());
        assertEquals(90, matting.getHeight());
        // the background is cut away, the object kept
        assertEquals(0, matting.getRGB(3, 3) >>> 24, "corner is transparent");
        assertEquals(255, matting.getRGB(60, 45) >>> 24, "object is opaque");
        assertEquals(0xFFFFFF, out.get(1).getRGB(3, 3) & 0xFFFFFF, "white background");
        assertEquals(1, balance(c));

        Http.Response list = api.get("/api/task/list?status=succeeded", c.auth());
        assertEquals(200, list.status(), list.body());
        assertEquals(id, list.json().get("data").get("tasks").get(0).get("id").asText());
    }

    @Test
    void basicCleanOnTheFakeCosRunsTencentImageProcessingAndItsResultsAreFetchable() throws Exception {
        cos = new FakeCos(COS_ID, COS_KEY);
        start(Map.of(
                "COS_BUCKET",
                "media-1250000000",
                "COS_ENDPOINT",
                cos.endpoint(),
                "TENCENT_SECRET_ID",
                COS_ID,
                "TENCENT_SECRET_KEY",
                COS_KEY));
        Caller c = member(2);
        String key = upload(c, picture());
        assertTrue(cos.objects().containsKey(key), "the presigned PUT reached the bucket");
        String id = create(c, "basic_clean", key);

        JsonNode done = awaitFinished(c, id, Duration.ofSeconds(30));
        assertEquals("succeeded", done.get("status").asText(), done.toString());
        String prefix = "output/" + id + "/";
        assertEquals(
                Set.of(prefix + "matting.png", prefix + "white-bg.png", prefix + "enhanced.png"),
                cos.objects().keySet().stream()
                        .filter(k -> k.startsWith("output/"))
                        .collect(Collectors.toSet()),
                "the three outputs, written by image processing at absolute keys");
        List<BufferedImage> out = results(done); // presigned GETs the fake checks
        assertEquals(3, out.size());
        assertEquals(0, out.get(0).getRGB(3, 3) >>> 24, "the cut-out's corner is transparent");
        assertEquals(255, out.get(0).getRGB(60, 45) >>> 24, "the object is opaque");
        assertEquals(0xFFFFFF, out.get(1).getRGB(3, 3) & 0xFFFFFF, "white background");
        assertEquals(1, balance(c));
        assertTrue(cos.rejections().isEmpty(), "every request was signed as COS requires: " + cos.rejections());
    }

    @Test
    void modelPose12WithoutRunningHubMakesTwelveImagesLocally() throws Exception {
        start(Map.of());
        Caller c = member(1);
        String id = create(c, "model_pose12", upload(c, picture()));

        JsonNode done = awaitFinished(c, id, Duration.ofSeconds(60));
        assertEquals("succeeded", done.get("status").asText(), done.toString());
        List<BufferedImage> out = results(done);
        assertEquals(12, out.size());
        assertEquals(12, distinct(out));
        assertEquals(0, balance(c));
    }

    @Test
    void modelPose12OnRunningHubFinishesByWebhookWithTwelveOutputs() throws Exception {
        runningHub = new FakeRunningHub("rh-e2e-key");
        // the run ends by the clock, and the engine would poll again only after a minute: the webhook must wake it
        runningHub.script(FakeRunningHub.Script.timed(
                Duration.ofMillis(300),
                FakeRunningHub.State.QUEUED,
                FakeRunningHub.State.RUNNING,
                FakeRunningHub.State.SUCCESS));
        runningHub.webhooks(FakeRunningHub.WebhookMode.DUPLICATE);
        Map<String, String> m = new HashMap<>(runningHub.settings());
        m.put("TASK_POLL_INTERVAL", "60s");
        start(m);
        Caller c = member(1);
        String id = create(c, "model_pose12", upload(c, picture()));

        JsonNode done = awaitFinished(c, id, Duration.ofSeconds(30));
        assertEquals("succeeded", done.get("status").asText(), done.toString());
        List<BufferedImage> out = results(done);
        assertEquals(FakeRunningHub.OUTPUTS, out.size());
        assertEquals(FakeRunningHub.OUTPUTS, distinct(out));

        // one run at RunningHub with the task's scene, category and uploaded image; both webhooks reached us
        assertEquals(1, runningHub.runs().size());
        FakeRunningHub.Run run = runningHub.runs().get(0);
        assertEquals("studio", run.value(FakeRunningHub.SCENE_NODE).orElseThrow());
        assertEquals("shirt", run.value(FakeRunningHub.CATEGORY_NODE).orElseThrow());
        assertTrue(runningHub
                .uploads()
                .contains(run.value(FakeRunningHub.IMAGE_NODE).orElseThrow()));
        assertTrue(
                run.webhookUrl().startsWith("http://127.0.0.1:" + server.port() + "/api/callbacks/runninghub/" + id),
                run.webhookUrl());
        assertTrue(
                Concurrently.within(
                        Duration.ofSeconds(5), () -> runningHub.deliveries().size() >= 2),
                runningHub.deliveries().toString());
        runningHub.deliveries().forEach(d -> assertEquals(200, d.status(), d.toString()));
        // a late duplicate changes nothing: one result set, one charge, no refund
        assertEquals(200, runningHub.resendWebhook(run.taskId()).status());
        assertEquals("succeeded", task(c, id).get("status").asText());
        assertEquals(0, balance(c));
        assertEquals(0, count("SELECT COUNT(*) FROM quota_ledger WHERE reason = 'refund' AND ref = ?", id));
        assertEquals(1, runningHub.runs().size());
    }

    @Test
    void modelPose12OnRunningHubFinishesByPollingWhenWebhooksAreLost() throws Exception {
        runningHub = new FakeRunningHub("rh-e2e-key");
        runningHub.script(FakeRunningHub.Script.succeeds());
        runningHub.webhooks(FakeRunningHub.WebhookMode.DROP);
        // and a full queue on the first run request: transient, retried
        runningHub.queueFull(1);
        start(runningHub.settings());
        Caller c = member(1);
        String id = create(c, "model_pose12", upload(c, picture()));

        JsonNode done = awaitFinished(c, id, Duration.ofSeconds(30));
        assertEquals("succeeded", done.get("status").asText(), done.toString());
        assertEquals(FakeRunningHub.OUTPUTS, results(done).size());
        assertEquals(1, runningHub.runs().size());
        assertTrue(runningHub.runs().get(0).polls() >= 3, runningHub.runs().toString());
        assertTrue(runningHub.deliveries().isEmpty());
        assertEquals(0, balance(c));
    }

    @Test
    void aFailedRunningHubRunFailsTheTaskWithItsReasonAndRefundsOnce() throws Exception {
        runningHub = new FakeRunningHub("rh-e2e-key");
        runningHub.script(FakeRunningHub.Script.fails());
        runningHub.webhooks(FakeRunningHub.WebhookMode.DUPLICATE);
        start(runningHub.settings());
        Caller c = member(1);
        String id = create(c, "model_pose12", upload(c, picture()));

        JsonNode done = awaitFinished(c, id, Duration.ofSeconds(30));
        assertEquals("failed", done.get("status").asText(), done.toString());
        assertTrue(done.get("errorMessage").asText().contains(FakeRunningHub.FAILED_REASON), done.toString());
        assertEquals(0, done.get("resultUrls").size());
        assertTrue(Concurrently.within(
                Duration.ofSeconds(5), () -> runningHub.deliveries().size() >= 2));
        assertEquals(1, balance(c));
        assertEquals(1, count("SELECT COUNT(*) FROM quota_ledger WHERE reason = 'refund' AND ref = ?", id));
    }
}
