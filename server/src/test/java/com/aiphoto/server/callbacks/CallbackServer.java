package com.aiphoto.server.callbacks;

import com.aiphoto.server.Platform;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.platform.ErrorMapping;
import com.aiphoto.server.platform.JsonMedia;
import io.helidon.webserver.WebServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * An instance serving only the callback routes, on a real platform (database, Redis, request filter, error
 * envelope, the scheduler), with the test's own handlers: ApiRouting wires the NONE handlers until the engine is
 * merged.
 */
final class CallbackServer implements AutoCloseable {
    final Platform platform;
    final WebServer server;

    CallbackServer(Path dir, Map<String, String> settings, StepCallbacks steps, RunningHubWebhooks hooks) {
        platform = Platform.create(TestServers.settings(dir, settings));
        try {
            server = WebServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .mediaContext(
                            m -> m.mediaSupportsDiscoverServices(true).addMediaSupport(new JsonMedia(platform.json())))
                    .routing(r -> {
                        r.addFilter(platform.requestFilter());
                        new ErrorMapping(platform.routes()).register(r);
                        CallbacksModule.create(platform, steps, hooks)
                                .register(platform.routes().rules(r));
                    })
                    .build()
                    .start();
            platform.scheduling().start();
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        platform.close();
    }
}
