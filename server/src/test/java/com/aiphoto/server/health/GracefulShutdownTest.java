package com.aiphoto.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping: readiness DOWN first, the in-flight request still completes, then the port closes. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void drainsInFlightRequestsBeforeStopping() throws Exception {
        var running = TestServers.start(dir, Map.of("SHUTDOWN_DRAIN_DELAY", "1s", "SHUTDOWN_TIMEOUT", "10s"));
        Http api = new Http(running.port());
        Http admin = new Http(running.adminPort());
        assertEquals(200, admin.get("/observe/health/ready").status());

        CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> api.get("/test/slow?ms=2000"));
        ReadinessTest.assertEventually(() -> running.platform().requestFilter().inFlight() == 1, Duration.ofSeconds(5));

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(running::stop);
        ReadinessTest.assertEventually(() -> running.platform().lifecycle().draining(), Duration.ofSeconds(2));
        Http.Response ready = admin.get("/observe/health/ready");
        assertEquals(503, ready.status(), "readiness goes DOWN before anything stops");
        assertEquals(
                "shutting down",
                ReadinessTest.check(ready.json(), "lifecycle")
                        .get("data")
                        .get("message")
                        .asText());

        Http.Response finished = slow.get(10, TimeUnit.SECONDS);
        assertEquals(200, finished.status(), "the in-flight request completed");
        assertTrue(finished.json().get("data").get("slept").asBoolean());
        stopping.get(15, TimeUnit.SECONDS);
        assertThrows(Exception.class, () -> api.get("/health"), "the port is closed after stop");
    }
}
