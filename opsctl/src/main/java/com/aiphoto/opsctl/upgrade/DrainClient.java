package com.aiphoto.opsctl.upgrade;

import com.aiphoto.opsctl.cli.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The server's drain switch on an instance's admin port ({@code /observe/drain}). */
final class DrainClient implements AutoCloseable {
    /** What the instance reports: {@code received} counts every API request since it started. */
    record State(boolean draining, boolean stopping, int inFlight, long received) {}

    private final HttpClient client;
    private final Duration timeout;

    DrainClient(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    State drain(Instance i) throws IOException {
        return call(i, "POST");
    }

    State state(Instance i) throws IOException {
        return call(i, "GET");
    }

    State cancel(Instance i) throws IOException {
        return call(i, "DELETE");
    }

    private State call(Instance i, String method) throws IOException {
        HttpRequest r = HttpRequest.newBuilder(i.admin("/observe/drain"))
                .timeout(timeout)
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> res;
        try {
            res = client.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode data;
        try {
            data = Json.read(res.body()).path("data");
        } catch (IllegalArgumentException e) {
            throw new IOException(method + " " + r.uri() + ": HTTP " + res.statusCode() + ", not JSON");
        }
        if (res.statusCode() != 200 || !data.has("draining")) {
            throw new IOException(method + " " + r.uri() + ": HTTP " + res.statusCode()
                    + (res.statusCode() == 404 ? " (a server without the drain switch: upgrade it by hand)" : ""));
        }
        return new State(
                data.path("draining").asBoolean(),
                data.path("stopping").asBoolean(),
                data.path("inFlight").asInt(),
                data.path("received").asLong());
    }

    @Override
    public void close() {
        client.close();
    }
}
