package com.aiphoto.server.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The callbacks on the embedded default (H2, no Redis: replays go to the callback_replays table). */
class CallbacksEmbeddedTest extends CallbacksContract {
    @Override
    Map<String, String> backend() {
        return Map.of();
    }

    @Test
    void theRealServerRoutesBothEndpointsToTheUnwiredHandlers() {
        AiPhotoServer.Running real = TestServers.start(dir.resolve("real"), settings());
        try {
            Http http = new Http(real.port());
            // NONE knows no task: a genuine callback is 404, and so is a webhook
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
