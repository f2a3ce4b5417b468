package com.aiphoto.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A small JDK HTTP client for tests that need raw control over bodies and headers. Every response to a documented
 * operation is checked against the OpenAPI document ({@link OpenApiContract}); a mismatch fails the test.
 */
public final class Http {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final boolean contract;

    public Http(int port) {
        this(port, true);
    }

    private Http(int port, boolean contract) {
        this.base = "http://127.0.0.1:" + port;
        this.contract = contract;
    }

    /** A client that does not hold responses to the OpenAPI document: for what the server answers outside it. */
    public static Http outsideContract(int port) {
        return new Http(port, false);
    }

    public record Response(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    public Response post(String path, String body, String... headers) {
        return send(request(path, headers)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public Response method(String method, String path, String body, String... headers) {
        return send(request(path, headers)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        boolean hasType = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            hasType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!hasType) {
            b.header("Content-Type", "application/json");
        }
        return b;
    }

    private Response send(HttpRequest r) {
        try {
            HttpResponse<String> res = client.send(r, HttpResponse.BodyHandlers.ofString());
            List<String> violations = !contract
                    ? List.<String>of()
                    : OpenApiContract.get()
                            .violations(
                                    r.method(),
                                    r.uri().getRawPath(),
                                    res.statusCode(),
                                    res.headers().firstValue("Content-Type").orElse(null),
                                    res.body());
            if (!violations.isEmpty()) {
                throw new AssertionError(
                        "the response breaks " + OpenApiContract.RESOURCE + ":\n" + String.join("\n", violations));
            }
            return new Response(res.statusCode(), res.headers(), res.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
