package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.FixtureRoutes;
import com.aiphoto.server.Platform;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.LogFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.testing.http.junit5.SocketHttpClient;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The envelope and every error mapping of spec api.md, through the real server wiring. */
@ServerTest
class ErrorMappingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Path dir;
    private static Platform platform;

    private final Http1Client client;
    private final SocketHttpClient socket;

    ErrorMappingTest(Http1Client client, SocketHttpClient socket) {
        this.client = client;
        this.socket = socket;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder builder) throws IOException {
        dir = Files.createTempDirectory("ai-photo-errors");
        Settings s = TestServers.settings(dir, Map.of());
        Logging.configure(s);
        platform = Platform.create(s);
        AiPhotoServer.configure(builder, platform, FixtureRoutes::new);
    }

    @AfterAll
    static void close() {
        platform.close();
    }

    private record Reply(int status, JsonNode body, String requestId, Http1ClientResponse raw) {}

    private Reply call(Method method, String path, String body, String... headers) {
        var req = client.method(method).path(path);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            req.header(HeaderNames.create(headers[i]), headers[i + 1]);
        }
        if (body != null) {
            req.header(HeaderNames.CONTENT_TYPE, "application/json");
        }
        try (Http1ClientResponse res = body == null ? req.request() : req.submit(body)) {
            String text = res.entity().as(String.class);
            JsonNode json;
            try {
                json = MAPPER.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("response is not JSON: " + text);
            }
            return new Reply(
                    res.status().code(),
                    json,
                    res.headers().first(HeaderNames.create("X-Request-Id")).orElse(null),
                    res);
        }
    }

    private static void assertError(Reply r, int status, int code) {
        assertEquals(status, r.status(), r.body().toString());
        assertFalse(r.body().get("success").asBoolean());
        assertEquals(code, r.body().get("error").get("code").asInt(), r.body().toString());
        assertTrue(r.body().get("error").get("message").asText().length() > 0);
        assertEquals(r.requestId(), r.body().get("requestId").asText(), "envelope carries the header's id");
    }

    @Test
    void successUsesTheEnvelope() {
        Reply r = call(Method.POST, "/test/echo", "{\"name\":\"a\",\"count\":2,\"color\":\"RED\",\"tags\":[\"x\"]}");
        assertEquals(200, r.status());
        assertTrue(r.body().get("success").asBoolean());
        assertEquals("a", r.body().get("data").get("name").asText());
        assertEquals(2, r.body().get("data").get("count").asInt());
    }

    @Test
    void healthAnswersInTheSeedFormat() {
        Reply r = call(Method.GET, "/health", null);
        assertEquals(200, r.status());
        assertEquals("ok", r.body().get("status").asText());
        assertEquals("test", r.body().get("env").asText());
        assertTrue(
                r.body().get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                r.body().toString());
    }

    @Test
    void unknownRouteIs4040() {
        assertError(call(Method.GET, "/api/nothing/here", null), 404, 4040);
    }

    @Test
    void wrongMethodIs405WithAllow() {
        Reply r = call(Method.DELETE, "/test/echo", null);
        assertError(r, 405, 4005);
        assertEquals("POST", r.raw().headers().first(HeaderNames.ALLOW).orElseThrow());
    }

    @Test
    void malformedJsonIs400() {
        Reply r = call(Method.POST, "/test/echo", "{\"name\": ");
        assertError(r, 400, 4001);
        assertEquals("malformed JSON", r.body().get("error").get("message").asText());
    }

    @Test
    void wrongTypeNamesTheField() {
        Reply r = call(Method.POST, "/test/echo", "{\"name\":\"a\",\"count\":\"many\"}");
        assertError(r, 400, 4001);
        assertTrue(
                r.body().get("error").get("message").asText().startsWith("count:"),
                r.body().toString());
    }

    @Test
    void objectWhereStringExpectedNamesTheField() {
        Reply r = call(Method.POST, "/test/echo", "{\"name\":{\"x\":1}}");
        assertError(r, 400, 4001);
        assertTrue(
                r.body().get("error").get("message").asText().startsWith("name:"),
                r.body().toString());
    }

    @Test
    void unknownEnumValueIs400() {
        Reply r = call(Method.POST, "/test/echo", "{\"color\":\"PURPLE\"}");
        assertError(r, 400, 4001);
        assertTrue(
                r.body().get("error").get("message").asText().startsWith("color:"),
                r.body().toString());
    }

    @Test
    void emptyBodyAndNullBodyAre400() {
        assertError(call(Method.POST, "/test/echo", ""), 400, 4001);
        assertError(call(Method.POST, "/test/echo", "null"), 400, 4001);
        assertError(call(Method.POST, "/test/echo", "[1,2]"), 400, 4001);
    }

    @Test
    void trailingGarbageIs400() {
        assertError(call(Method.POST, "/test/echo", "{\"name\":\"a\"} {}"), 400, 4001);
    }

    @Test
    void oversizedJsonIs413() {
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        assertError(call(Method.POST, "/test/echo", big), 413, 4001);
    }

    @Test
    void bodyOverTheListenerLimitGetsTheEnvelopeToo() {
        // refused on the declared length, before routing and before the body is sent
        String raw = socket.sendAndReceive(
                Method.POST,
                "/test/echo",
                null,
                List.of("Content-Length: " + (20 * 1024 * 1024), "Content-Type: application/json"));
        assertTrue(raw.startsWith("HTTP/1.1 413"), raw);
        assertTrue(raw.contains("\"code\":4001"), raw);
    }

    @Test
    void apiExceptionKeepsItsStatusAndCode() {
        Reply r = call(Method.GET, "/test/api-error", null);
        assertError(r, 403, 4003);
        assertEquals("not yours", r.body().get("error").get("message").asText());
    }

    @Test
    void unexpectedExceptionIsGeneric500AndLoggedUnderTheRequestId() throws Exception {
        Reply r = call(Method.GET, "/test/boom", null, "X-Request-Id", "boom-req-1");
        assertError(r, 500, 9999);
        assertEquals("boom-req-1", r.requestId());
        String message = r.body().get("error").get("message").asText();
        assertEquals("internal error", message);
        assertFalse(r.body().toString().contains("SELECT"), "no SQL or detail reaches the client");

        List<JsonNode> errors = LogFiles.read(dir.resolve("logs/error.log"));
        JsonNode logged = errors.stream()
                .filter(e -> "boom-req-1".equals(e.path("requestId").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no error line for the request: " + errors));
        assertEquals("ERROR", logged.get("level").asText());
        assertTrue(logged.get("stack_trace").asText().contains("fixture detail"), logged.toString());
        // the info line logged by the handler carries the same id in combined.log
        assertTrue(LogFiles.read(dir.resolve("logs/combined.log")).stream()
                .anyMatch(e -> "about to fail".equals(e.path("message").asText())
                        && "boom-req-1".equals(e.path("requestId").asText())));
    }

    @Test
    void saneRequestIdIsKeptOtherwiseReplaced() {
        assertEquals(
                "abc-123_X.y:z",
                call(Method.GET, "/health", null, "X-Request-Id", "abc-123_X.y:z")
                        .requestId());
        String tooLong = "a".repeat(65);
        String replaced =
                call(Method.GET, "/health", null, "X-Request-Id", tooLong).requestId();
        assertNotEquals(tooLong, replaced);
        assertTrue(RequestIds.isSane(replaced));
        String injected = call(Method.GET, "/health", null, "X-Request-Id", "a b\"<script>")
                .requestId();
        assertTrue(RequestIds.isSane(injected), injected);
        String generated = call(Method.GET, "/health", null).requestId();
        assertTrue(generated != null && generated.length() >= 16);
        assertNotEquals(generated, call(Method.GET, "/health", null).requestId());
    }

    @Test
    void malformedHttpGetsTheJsonEnvelope() {
        String raw = socket.sendAndReceive(Method.POST, "/test/echo", "{}", List.of("Content-Length: 2x"));
        assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
        assertTrue(raw.contains("\"code\":4001"), raw);
    }

    @Test
    void aBodyShorterThanItsContentLengthIs400(java.net.URI uri) throws IOException {
        // issue 15 (ApiFuzzTest): the client announced 12 bytes, sent 2 and closed its side; that was 500/9999
        try (java.net.Socket s = new java.net.Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("POST /test/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: 12\r\n\r\n{}")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.shutdownOutput();
            String raw = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
            assertTrue(raw.contains("\"code\":4001"), raw);
        }
    }

    @Test
    void acceptWithoutJsonStillGetsJson() throws Exception {
        // issue 8 #2: Helidon's media negotiation answered 415/9999 and logged a stack trace per request
        Reply health = call(Method.GET, "/health", null, "Accept", "text/plain", "X-Request-Id", "accept-1");
        assertEquals(200, health.status(), health.body().toString());
        assertEquals("ok", health.body().get("status").asText());
        assertTrue(health.raw().headers().contentType().orElseThrow().text().startsWith("application/json"));
        Reply echo = call(Method.POST, "/test/echo", "{\"name\":\"a\",\"count\":1}", "Accept", "text/html, image/png");
        assertEquals(200, echo.status(), echo.body().toString());
        assertError(call(Method.GET, "/test/api-error", null, "Accept", "text/plain"), 403, 4003);
        assertError(call(Method.GET, "/api/nothing", null, "Accept", "text/plain"), 404, 4040);
        assertTrue(
                LogFiles.read(dir.resolve("logs/error.log")).stream()
                        .noneMatch(e -> "accept-1".equals(e.path("requestId").asText())),
                "not logged as an error");
    }

    @Test
    void tooLongUriIsAClientError() {
        // issue 8 #15: 414 came with 9999 "internal error"
        String raw = socket.sendAndReceive(Method.GET, "/health?x=" + "a".repeat(70_000), null);
        assertTrue(raw.startsWith("HTTP/1.1 414"), raw);
        assertTrue(raw.contains("\"code\":4001"), raw);
    }

    @Test
    void headIsServedWhereverGetIs() {
        // issue 8 #16: HEAD /health gave 405
        String raw = socket.sendAndReceive(Method.HEAD, "/health", null);
        assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
        assertFalse(raw.contains("\"status\""), "no body for HEAD: " + raw);
        assertTrue(socket.sendAndReceive(Method.HEAD, "/api/nothing", null).startsWith("HTTP/1.1 404"));
        Reply r = call(Method.DELETE, "/health", null);
        assertError(r, 405, 4005);
        assertEquals("GET, HEAD", r.raw().headers().first(HeaderNames.ALLOW).orElseThrow());
    }

    @Test
    void observeEndpointsAreNotOnThePublicPort() {
        assertError(call(Method.GET, "/observe/health", null), 404, 4040);
        assertError(call(Method.GET, "/observe/metrics", null), 404, 4040);
    }
}
