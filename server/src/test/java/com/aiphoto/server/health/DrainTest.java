package com.aiphoto.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drain switch on the admin port: readiness DOWN, every response {@code Connection: close}, retryable requests
 * shed with 503 (nginx sends them to the other instance), POSTs and in-flight requests served, the counts
 * reported; cancelling it; and a stop after a drain still stops.
 */
class DrainTest {
    @TempDir
    Path dir;

    AiPhotoServer.Running running;
    Http admin;
    Http api;

    @BeforeEach
    void start() {
        running = TestServers.start(dir, Map.of("SHUTDOWN_DRAIN_DELAY", "0s", "SHUTDOWN_TIMEOUT", "10s"));
        admin = Http.outsideContract(running.adminPort());
        api = Http.outsideContract(running.port());
    }

    @AfterEach
    void stop() {
        running.stop();
    }

    @Test
    void drainingShedsRetryableRequestsServesPostsAndClosesEveryConnection() throws Exception {
        JsonNode before = admin.get("/observe/drain").json().get("data");
        assertFalse(before.get("draining").asBoolean());
        assertEquals(0, before.get("inFlight").asInt());
        assertFalse(closes(head(running.port(), "/health")), "keep-alive before draining");

        CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> api.get("/test/slow?ms=1500"));
        ReadinessTest.assertEventually(() -> running.platform().requestFilter().inFlight() == 1, Duration.ofSeconds(5));

        Http.Response drained = admin.post("/observe/drain", "");
        assertEquals(200, drained.status(), drained.body());
        JsonNode state = drained.json().get("data");
        assertTrue(state.get("draining").asBoolean());
        assertFalse(state.get("stopping").asBoolean());
        assertEquals(1, state.get("inFlight").asInt(), "the slow request is counted");
        long received = state.get("received").asLong();

        Http.Response ready = admin.get("/observe/health/ready");
        assertEquals(503, ready.status());
        assertEquals(
                "draining",
                ReadinessTest.check(ready.json(), "lifecycle")
                        .get("data")
                        .get("message")
                        .asText());

        Http.Response health = api.get("/health");
        assertEquals(503, health.status(), "a GET is shed: nginx retries it on the other instance");
        assertEquals(5030, health.json().get("error").get("code").asInt());
        assertEquals(
                health.header("X-Request-Id"), health.json().get("requestId").asText());

        Http.Response post = api.post("/test/echo", "{\"name\":\"still served\",\"count\":1}");
        assertEquals(200, post.status(), "a POST is never shed: nginx would not retry it");
        assertEquals("still served", post.json().get("data").get("name").asText());

        String shedHead = head(running.port(), "/health");
        assertTrue(closes(shedHead), "nginx closes its upstream connection on Connection: close: " + shedHead);
        assertTrue(shedHead.startsWith("HTTP/1.1 503"), shedHead);
        assertTrue(closes(head(running.port(), "/test/slow?ms=1")), "on every response while draining");

        Http.Response finished = slow.get(10, TimeUnit.SECONDS);
        assertEquals(200, finished.status(), "the request in flight when the drain began completed");
        JsonNode after = admin.get("/observe/drain").json().get("data");
        assertEquals(0, after.get("inFlight").asInt());
        assertTrue(after.get("received").asLong() >= received + 3, after.toString());

        // an admin request is no API request: asking the state does not count as traffic
        long now =
                admin.get("/observe/drain").json().get("data").get("received").asLong();
        assertEquals(
                now,
                admin.get("/observe/drain").json().get("data").get("received").asLong());
    }

    @Test
    void aCancelledDrainServesAgainAndAStopAfterADrainStillStops() throws Exception {
        admin.post("/observe/drain", "");
        assertEquals(503, api.get("/health").status());

        Http.Response cancelled = admin.method("DELETE", "/observe/drain", null);
        assertEquals(200, cancelled.status(), cancelled.body());
        assertFalse(cancelled.json().get("data").get("draining").asBoolean());
        assertEquals(200, api.get("/health").status());
        assertEquals(200, admin.get("/observe/health/ready").status());
        assertFalse(closes(head(running.port(), "/health")), "keep-alive again");

        admin.post("/observe/drain", "");
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(running::stop);
        stopping.get(15, TimeUnit.SECONDS);
        assertThrows(Exception.class, () -> api.get("/health"), "the port is closed: the drain did not skip the stop");
    }

    private static boolean closes(String head) {
        return head.lines().anyMatch(l -> l.equalsIgnoreCase("connection: close"));
    }

    /** The status line and headers of a plain HTTP/1.1 GET (keep-alive unless the server says otherwise). */
    private static String head(int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder b = new StringBuilder();
            while (!b.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                b.append((char) c);
            }
            return b.toString();
        }
    }
}
