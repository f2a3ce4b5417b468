package com.aiphoto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake's scripted runs and webhooks, driven over plain HTTP in RunningHub's wire format. */
class FakeRunningHubTest {
    private static final String KEY = "fake-rh-key";
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeRunningHub hub;
    private Receiver receiver;

    /** Our side of the webhook: answers 200 and records what arrived. */
    static final class Receiver extends FakeServer {
        @Override
        protected Reply handle(Request request) {
            return Reply.json(200, "{}");
        }
    }

    @BeforeEach
    void start() {
        hub = new FakeRunningHub(KEY);
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        hub.close();
        receiver.close();
    }

    @Test
    void aRunEndsAndItsWebhookArrivesOnceWithTheOutputsAsAJsonString() throws Exception {
        String taskId = start("/hook/1");
        assertEquals(813, outputs(taskId).get("code").asInt());
        assertEquals(804, outputs(taskId).get("code").asInt());
        JsonNode done = outputs(taskId);
        assertEquals(0, done.get("code").asInt());
        assertEquals(FakeRunningHub.OUTPUTS, done.get("data").size());
        waitFor(() -> receiver.requests().size() == 1);
        FakeServer.Request hook = receiver.requests().get(0);
        assertEquals("/hook/1", hook.path());
        JsonNode body = mapper.readTree(hook.body());
        assertEquals("TASK_END", body.get("event").asText());
        assertEquals(taskId, body.get("taskId").asText());
        assertTrue(body.get("eventData").isTextual(), "eventData is a JSON string, as RunningHub sends it");
        assertEquals(done, mapper.readTree(body.get("eventData").asText()));
        // files are served; another poll does not send the webhook again
        HttpResponse<byte[]> png = http.send(
                HttpRequest.newBuilder(URI.create(
                                done.get("data").get(0).get("fileUrl").asText()))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        outputs(taskId);
        Thread.sleep(200);
        assertEquals(1, receiver.requests().size());
        assertEquals(200, hub.deliveries().get(0).status());
    }

    @Test
    void timedRunsEndWithoutPolling() throws Exception {
        hub.script(FakeRunningHub.Script.timed(
                Duration.ofMillis(100),
                FakeRunningHub.State.QUEUED,
                FakeRunningHub.State.RUNNING,
                FakeRunningHub.State.FAILED));
        String taskId = start("/hook/t");
        waitFor(() -> receiver.requests().size() == 1);
        JsonNode answer = outputs(taskId);
        assertEquals(805, answer.get("code").asInt());
        assertEquals(
                FakeRunningHub.FAILED_REASON,
                answer.get("data").get("failedReason").get("exception_message").asText());
    }

    @Test
    void webhookFaults() throws Exception {
        hub.webhooks(FakeRunningHub.WebhookMode.DUPLICATE);
        String dup = start("/hook/dup");
        hub.finish(dup, FakeRunningHub.State.SUCCESS);
        waitFor(() -> receiver.requests().size() == 2);

        hub.webhooks(FakeRunningHub.WebhookMode.DROP);
        String dropped = start("/hook/drop");
        hub.finish(dropped, FakeRunningHub.State.SUCCESS);
        hub.webhooks(FakeRunningHub.WebhookMode.LATE);
        String late = start("/hook/late");
        hub.finish(late, FakeRunningHub.State.SUCCESS);
        Thread.sleep(300);
        assertEquals(2, receiver.requests().size(), "neither the dropped nor the late one yet");
        assertEquals(1, hub.releaseLateWebhooks());
        waitFor(() -> receiver.requests().size() == 3);
        assertEquals("/hook/late", receiver.requests().get(2).path());
        assertEquals(200, hub.resendWebhook(dropped).status());
        assertEquals(
                List.of("/hook/dup", "/hook/dup", "/hook/late", "/hook/drop"),
                receiver.requests().stream().map(FakeServer.Request::path).toList());
    }

    @Test
    void refusesAWrongKeyANumericWebappIdAndUnknownNodes() throws Exception {
        String file = upload(KEY);
        assertEquals(
                802,
                post("/task/openapi/outputs", "{\"apiKey\":\"nope\",\"taskId\":\"1\"}")
                        .get("code")
                        .asInt());
        assertEquals(802, mapper.readTree(uploadRaw("nope")).get("code").asInt());
        String numeric = "{\"apiKey\":\"" + KEY + "\",\"webappId\":" + FakeRunningHub.WEBAPP_ID
                + ",\"nodeInfoList\":[{\"nodeId\":\"2\",\"fieldName\":\"image\",\"fieldValue\":\"" + file + "\"}]}";
        assertEquals(301, post("/task/openapi/ai-app/run", numeric).get("code").asInt());
        String unknownNode = "{\"apiKey\":\"" + KEY + "\",\"webappId\":\"" + FakeRunningHub.WEBAPP_ID
                + "\",\"nodeInfoList\":[{\"nodeId\":\"99\",\"fieldName\":\"image\",\"fieldValue\":\"" + file + "\"}]}";
        assertEquals(
                803, post("/task/openapi/ai-app/run", unknownNode).get("code").asInt());
        String notUploaded = "{\"apiKey\":\"" + KEY + "\",\"webappId\":\"" + FakeRunningHub.WEBAPP_ID
                + "\",\"nodeInfoList\":[{\"nodeId\":\"2\",\"fieldName\":\"image\",\"fieldValue\":\"api/x.png\"}]}";
        assertEquals(
                803, post("/task/openapi/ai-app/run", notUploaded).get("code").asInt());
        assertEquals(3, hub.shapeProblems().size(), hub.shapeProblems()::toString);
        hub.queueFull(1);
        assertEquals(
                421,
                post("/task/openapi/ai-app/run", run(file, null)).get("code").asInt());
        assertEquals(
                0, post("/task/openapi/ai-app/run", run(file, null)).get("code").asInt());
        assertEquals(1, hub.runs().size());
    }

    private String start(String hookPath) throws Exception {
        String file = upload(KEY);
        JsonNode answer = post("/task/openapi/ai-app/run", run(file, receiver.endpoint() + hookPath));
        assertEquals(0, answer.get("code").asInt(), answer::toString);
        return answer.get("data").get("taskId").asText();
    }

    private String run(String file, String hook) {
        return "{\"apiKey\":\"" + KEY + "\",\"webappId\":\"" + FakeRunningHub.WEBAPP_ID + "\",\"nodeInfoList\":["
                + "{\"nodeId\":\"2\",\"fieldName\":\"image\",\"fieldValue\":\"" + file + "\"},"
                + "{\"nodeId\":\"3\",\"fieldName\":\"text\",\"fieldValue\":\"beach\"},"
                + "{\"nodeId\":\"4\",\"fieldName\":\"text\",\"fieldValue\":\"dress\"}]"
                + (hook == null ? "" : ",\"webhookUrl\":\"" + hook + "\"") + "}";
    }

    private String upload(String key) throws Exception {
        JsonNode answer = mapper.readTree(uploadRaw(key));
        assertEquals(0, answer.get("code").asInt(), answer::toString);
        return answer.get("data").get("fileName").asText();
    }

    private String uploadRaw(String key) throws IOException, InterruptedException {
        String b = "b0undary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + b + "\r\nContent-Disposition: form-data; name=\"apiKey\"\r\n\r\n" + key + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + b + "\r\nContent-Disposition: form-data; name=\"fileType\"\r\n\r\ninput\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                        + "Content-Type: image/png\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(hub.images().get(0));
        body.writeBytes(("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(
                        HttpRequest.newBuilder(URI.create(hub.endpoint() + "/task/openapi/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + b)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private JsonNode outputs(String taskId) throws Exception {
        return post("/task/openapi/outputs", "{\"apiKey\":\"" + KEY + "\",\"taskId\":\"" + taskId + "\"}");
    }

    private JsonNode post(String path, String json) throws Exception {
        HttpResponse<String> res = http.send(
                HttpRequest.newBuilder(URI.create(hub.endpoint() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), "RunningHub always answers 200");
        return mapper.readTree(res.body());
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
