package com.aiphoto.server.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.tasks.runninghub.RunningHubClient;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.FakeRunningHub;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The callbacks on the embedded default (H2, no Redis: replays go to the callback_replays table). */
class CallbacksEmbeddedTest extends CallbacksContract {
    @Override
    Map<String, String> backend() {
        return Map.of();
    }

    @Test
    void runningHubsWebhooksReachTheHandlerAndAWrongTokenIsRefused() throws Exception {
        try (FakeRunningHub hub = new FakeRunningHub("rh-key-for-webhooks")) {
            RunningHubClient client = new RunningHubClient(() ->
                    RunningHubClient.Config.from(Settings.of(hub.settings())).orElseThrow());
            String base = "http://127.0.0.1:" + server.port() + "/api/callbacks/runninghub/" + TASK + "?token=";
            String file = client.upload(hub.images().get(0), "in.png");
            hub.webhooks(FakeRunningHub.WebhookMode.DUPLICATE);
            String good = client.run(file, "street", "coat", URI.create(base + TOKEN));
            hub.finish(good, FakeRunningHub.State.SUCCESS);
            String forged = client.run(file, "street", "coat", URI.create(base + "guessed"));
            hub.webhooks(FakeRunningHub.WebhookMode.SEND);
            hub.finish(forged, FakeRunningHub.State.SUCCESS);
            assertTrue(Concurrently.within(
                    Duration.ofSeconds(10), () -> hub.deliveries().size() == 3));
            Map<String, List<Integer>> statuses = new HashMap<>();
            hub.deliveries()
                    .forEach(d -> statuses.computeIfAbsent(d.taskId(), k -> new ArrayList<>())
                            .add(d.status()));
            assertEquals(List.of(200, 200), statuses.get(good), "both copies of a duplicate are answered 200");
            assertEquals(List.of(404), statuses.get(forged));
            assertEquals(List.of(TASK + " " + TOKEN, TASK + " " + TOKEN, TASK + " guessed"), hooks.calls);
        }
    }

    @Test
    void theRealServerRoutesBothEndpointsToTheEngine() {
        AiPhotoServer.Running real = TestServers.start(dir.resolve("real"), settings());
        try {
            Http http = new Http(real.port());
            // the engine knows no such task: a genuine callback is 404, and so is a webhook
            assertRefused(signed(path(TASK, 0), completed).send(http), 404, 4004);
            assertRefused(http.post("/api/callbacks/runninghub/" + TASK + "?token=" + TOKEN, "{}"), 404, 4004);
            // and the checks run before the handler there too
            assertRefused(signed(path(TASK, 0), completed).withBody("{}").send(http), 401, 1001);
        } finally {
            real.stop();
        }
        assertEquals(0, steps.calls.size());
    }
}
