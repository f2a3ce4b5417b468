package com.aiphoto.opsctl.health;

import com.aiphoto.opsctl.check.Perf;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.health.Observation.State;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's own answers: {@code GET /health} on the API port (the process is up) and
 * {@code /observe/health/ready} on the admin port (its view of its dependencies, with the details of each check).
 */
final class ServerProbes {
    static final String API = "api:responseTime";
    static final String READINESS = "readiness:responseTime";
    // a cold opsctl JVM spends a few hundred ms on its first request; readiness itself answers within 3 s
    private static final long WARN_MS = 1000;
    private static final long CRIT_MS = 3000;

    private ServerProbes() {}

    private record Answer(int status, String body, long millis) {}

    static Probe api(URI url, Duration timeout) {
        return new Probe("api", List.of(API), () -> {
            Answer a;
            try {
                a = get(url, timeout);
            } catch (IOException e) {
                return List.of(Observation.failed(API, "GET " + url + ": " + describe(e)));
            }
            Perf perf = Perf.upTo(a.millis, "ms", WARN_MS, CRIT_MS);
            if (a.status != 200) {
                return List.of(Observation.of(API, State.FAIL, perf, "ms", "GET " + url + ": HTTP " + a.status));
            }
            String status = field(a.body, "status");
            if (!"ok".equals(status)) {
                return List.of(Observation.of(
                        API, State.FAIL, perf, "ms", "GET " + url + ": 200 but status " + status + " (not ok)"));
            }
            String env = field(a.body, "env");
            return List.of(Observation.of(
                    API,
                    Observation.upTo(a.millis, WARN_MS, CRIT_MS),
                    perf,
                    "ms",
                    "GET " + url + ": ok" + (env == null ? "" : ", env " + env)));
        });
    }

    /**
     * 200 UP passes, 503 fails naming each check that is DOWN with its message; a check UP with
     * {@code state: DEGRADED} (Redis) is a warning, as the server keeps serving without it.
     */
    static Probe readiness(URI url, Duration timeout) {
        return new Probe("readiness", List.of(READINESS), () -> {
            Answer a;
            try {
                a = get(url, timeout);
            } catch (IOException e) {
                return List.of(Observation.failed(READINESS, "GET " + url + ": " + describe(e)));
            }
            Perf perf = Perf.upTo(a.millis, "ms", WARN_MS, CRIT_MS);
            JsonNode doc;
            try {
                doc = Json.read(a.body);
            } catch (IllegalArgumentException e) {
                return List.of(Observation.of(
                        READINESS, State.FAIL, perf, "ms", "GET " + url + ": HTTP " + a.status + ", not JSON"));
            }
            List<String> down = new ArrayList<>();
            List<String> degraded = new ArrayList<>();
            List<String> up = new ArrayList<>();
            for (JsonNode c : doc.path("checks")) {
                String name = c.path("name").asText("?");
                JsonNode data = c.path("data");
                String message = data.path("message").asText("");
                if (!"UP".equals(c.path("status").asText())) {
                    down.add(name + " DOWN" + (message.isEmpty() ? "" : " (" + message + ")"));
                } else if ("DEGRADED".equals(data.path("state").asText())) {
                    degraded.add(name + " DEGRADED" + (message.isEmpty() ? "" : " (" + message + ")"));
                } else {
                    up.add(name);
                }
            }
            boolean ready = a.status == 200 && "UP".equals(doc.path("status").asText());
            State state = !ready || !down.isEmpty()
                    ? State.FAIL
                    : !degraded.isEmpty() ? State.WARN : Observation.upTo(a.millis, WARN_MS, CRIT_MS);
            List<String> parts = new ArrayList<>(down);
            parts.addAll(degraded);
            if (!up.isEmpty()) {
                parts.add(String.join(", ", up) + " UP");
            }
            String text = (ready ? "ready" : "NOT ready (HTTP " + a.status + ")")
                    + (parts.isEmpty() ? "" : ": " + String.join("; ", parts));
            return List.of(Observation.of(READINESS, state, perf, "ms", text));
        });
    }

    private static Answer get(URI url, Duration timeout) throws IOException, InterruptedException {
        // a client per call, closed after it: its selector thread waits in epoll, and the JVM's exit waits up to
        // 300 ms for threads in native code before it gives up on them
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(url)
                            .timeout(timeout)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static String field(String body, String name) {
        try {
            JsonNode v = Json.read(body).get(name);
            return v == null || v.isNull() ? null : v.asText();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** "connection refused" rather than the client's empty ConnectException message. */
    static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "no answer in time";
            }
            if (t instanceof java.net.ConnectException) {
                // the HTTP client's ConnectException has no message and a ClosedChannelException as its cause
                return t.getMessage() == null || t.getMessage().isBlank() ? "connection refused" : t.getMessage();
            }
        }
        return OpsDatabase.rootCause(e);
    }
}
